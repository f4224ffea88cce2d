package org.int8workbench.core.metrics;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.int8workbench.core.dataset.LabelMask;
import org.int8workbench.core.labels.LabelDecoder;
import org.int8workbench.core.labels.ModelOutput;
import org.int8workbench.core.labels.OutputKind;
import org.int8workbench.core.labels.Prediction;
import org.int8workbench.core.labels.ValueMap;

/** Plain decoders of NCHW probability and value maps for the output-kind tests, independent of the labels package's. */
final class KindTestDecoders {
    private KindTestDecoders() {
    }

    static LabelDecoder of(OutputKind kind, String output, List<String> names, double threshold) {
        return new LabelDecoder() {
            @Override
            public OutputKind kind() {
                return kind;
            }

            @Override
            public String description() {
                return "test " + kind.cliName() + " decoder";
            }

            @Override
            public ModelOutput output() {
                return new ModelOutput(output, kind, names.isEmpty() ? 1 : names.size(), kind == OutputKind.MULTILABEL ? names : List.of(),
                        true, kind == OutputKind.REGRESSION ? null : threshold, "test");
            }

            @Override
            public Prediction decode(OrtSession.Result result) throws OrtException {
                OnnxTensor t = (OnnxTensor) result.get(output).orElseThrow();
                long[] s = t.getInfo().getShape();
                int c = (int) s[1];
                int h = (int) s[2];
                int w = (int) s[3];
                FloatBuffer fb = t.getFloatBuffer();
                float[] raw = new float[fb.remaining()];
                fb.get(raw);
                int plane = h * w;
                switch (kind) {
                    case REGRESSION:
                        return new Prediction(null, raw, List.of(), new ValueMap(w, h, raw.clone()));
                    case BINARY: {
                        int[] l = new int[plane];
                        for (int i = 0; i < plane; i++) {
                            l[i] = raw[i] > threshold ? 1 : 0;
                        }
                        return new Prediction(new LabelMask(w, h, l), raw);
                    }
                    default: {
                        List<LabelMask> ch = new ArrayList<>();
                        int[] display = new int[plane];
                        float[] best = new float[plane];
                        for (int k = 0; k < c; k++) {
                            int[] l = new int[plane];
                            for (int i = 0; i < plane; i++) {
                                float v = raw[k * plane + i];
                                if (v > threshold) {
                                    l[i] = 1;
                                    if (display[i] == 0 || v > best[i]) {
                                        display[i] = 1 + k;
                                        best[i] = v;
                                    }
                                }
                            }
                            ch.add(new LabelMask(w, h, l));
                        }
                        return new Prediction(new LabelMask(w, h, display), raw, ch, null);
                    }
                }
            }

            @Override
            public int[] decodeBatch(OrtSession.Result result) throws OrtException {
                Prediction p = decode(result);
                return p.labels() == null ? new int[0] : p.labels().labels();
            }
        };
    }
}
