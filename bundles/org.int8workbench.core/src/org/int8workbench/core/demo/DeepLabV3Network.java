package org.int8workbench.core.demo;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.int8workbench.core.AtomicOutput;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.build.GraphBuilder;
import org.int8workbench.core.onnx.build.GraphBuilder.ResizeSpec;

/**
 * The demo network: DeepLabV3 with a full-width (1.0) MobileNetV2 backbone at output stride 16 (the last two stages
 * use dilation 2 instead of stride 2), ASPP, and a bilinear upsample of the class logits back to the input size,
 * built with {@link GraphBuilder} and seeded random weights. It has the reference tool's architecture and real
 * computational cost, so its speed is meaningful; its predictions are not (the weights are not trained).
 *
 * <ul>
 * <li>Input {@code input} float {@code [1,3,513,513]} NCHW, RGB in [-1, 1] ({@link Preprocessing#defaults}); output
 * {@code logits} float {@code [1,21,513,513]}.</li>
 * <li>BatchNorm is folded into the convolutions (weights + bias); ReLU6 is {@code Clip(0, 6)}.</li>
 * <li>ASPP with {@link #atrousRates} 6, 12, 18 (default): a 1x1 conv, three 3x3 atrous convs, an image pooling branch
 * (GlobalAveragePool, 1x1 conv, Resize back), concat, 1x1 projection; then a 1x1 classifier. About 5.4 GMAC of
 * convolution, 58 Conv. With no atrous rates it is TF DeepLab's MobileNetV2 head (1x1 + image pooling only): about
 * 2.74 GMAC, 55 Conv, as measured in ../shared/notes/ort-int8.md.</li>
 * <li>The final Resize is {@code linear} with {@code half_pixel} coordinates (align_corners false), sizes input.</li>
 * <li>Weights are He-normal ({@code std = sqrt(2 / fan_in)}) for convs followed by an activation and
 * {@code sqrt(1 / fan_in)} for the linear bottleneck projections; biases are N(0, 0.01). The ASPP projection and the
 * classifier read non-negative features, so their weights are made to sum to zero per output channel (they respond to
 * the features' variation, not their common mean) and their biases are zero. Measured on generated images: backbone
 * activations within about +-12 (std 0.3 growing to 3 through the residual stages), logits with a spatial std of
 * about 1, and 10-15 of the 21 classes present in the argmax with none above 40% of the pixels. The same seed gives
 * the same bytes ({@link Random} with the seed, fixed draw order).</li>
 * </ul>
 */
public final class DeepLabV3Network {

    /** Metadata key saying that the weights are synthetic (value: a one-line description with the seed). */
    public static final String SYNTHETIC_KEY = "int8workbench.synthetic";

    /** MobileNetV2 inverted residual settings: expansion t, output channels c, repeats n, stride s. */
    private static final int[][] MOBILENET_V2 = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1},
            {6, 160, 3, 2}, {6, 320, 1, 1}};

    /** Standard deviation of the (folded BatchNorm) biases. */
    private static final double BIAS_STD = 0.01;

    private int size = 513;
    private int classes = 21;
    private int[] atrousRates = {6, 12, 18};
    private int asppChannels = 256;

    /**
     * Size and cost of a built network.
     *
     * @param convCount number of Conv nodes
     * @param convMacs multiply-accumulates of all convolutions for one image
     * @param parameters number of weights and biases
     */
    public record Stats(int convCount, long convMacs, long parameters) {
        public double gmacs() {
            return convMacs / 1e9;
        }
    }

    /** The reference configuration: 513x513, 21 classes, ASPP rates 6, 12, 18. */
    public DeepLabV3Network() {
    }

    /** Input height and width (default 513). */
    public DeepLabV3Network inputSize(int pixels) {
        if (pixels < 33) {
            throw new IllegalArgumentException("input size must be at least 33, got " + pixels);
        }
        this.size = pixels;
        return this;
    }

    /** Number of classes (default 21). */
    public DeepLabV3Network classes(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + n);
        }
        this.classes = n;
        return this;
    }

    /** ASPP atrous rates (default 6, 12, 18); none gives TF DeepLab's MobileNetV2 head (1x1 + image pooling). */
    public DeepLabV3Network atrousRates(int... rates) {
        for (int r : rates) {
            if (r < 1) {
                throw new IllegalArgumentException("atrous rates must be positive, got " + Arrays.toString(rates));
            }
        }
        this.atrousRates = rates.clone();
        return this;
    }

    public int inputSize() {
        return size;
    }

    public int classes() {
        return classes;
    }

    /** The preprocessing the network expects (recorded in its metadata). */
    public Preprocessing preprocessing() {
        return Preprocessing.defaults(size, size, Preprocessing.Layout.NCHW);
    }

    /** The network with weights drawn from {@code seed}. */
    public ModelProto build(long seed) {
        return new Builder(seed).build();
    }

    /** Conv count, MACs and parameters of the network (independent of the seed). */
    public Stats stats() {
        Builder b = new Builder(0);
        b.build();
        return new Stats(b.convs, b.macs, b.params);
    }

    /** Writes the network for {@code seed} to {@code file} atomically; refuses to replace an existing file. */
    public void write(Path file, long seed) throws IOException {
        write(file, seed, false);
    }

    /** Writes the network for {@code seed} to {@code file} atomically. */
    public void write(Path file, long seed, boolean overwrite) throws IOException {
        byte[] bytes = build(seed).toByteArray();
        AtomicOutput.write(file, overwrite, bytes);
    }

    /** A one-line description for reports. */
    public String describe() {
        return "DeepLabV3, MobileNetV2 1.0 backbone, output stride 16, "
                + (atrousRates.length == 0 ? "ASPP 1x1 + image pooling" : "ASPP rates " + Arrays.toString(atrousRates)) + ", "
                + size + "x" + size + ", " + classes + " classes";
    }

    /** One build: the graph plus running totals. */
    private final class Builder {
        private final Random random;
        private final long seed;
        private final GraphBuilder g = new GraphBuilder("deeplabv3_mobilenetv2").opset(13);
        private int convs;
        private long macs;
        private long params;

        Builder(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        ModelProto build() {
            g.docString(describe() + "; seeded random weights (seed " + seed + "), BatchNorm folded.");
            g.metadata(SYNTHETIC_KEY, "synthetic weights (seed " + seed + "): " + describe()
                    + "; the speed is real, the predictions are not");
            g.metadata(Preprocessing.METADATA_KEY, preprocessing().toJson());
            g.input("input", DataType.FLOAT, 1, 3, size, size);

            // MobileNetV2 backbone, output stride 16
            Tensor x = new Tensor("input", 3, size);
            x = relu6(conv(x, 32, 3, 2, 1, 1, true));
            int outputStride = 2;
            int dilation = 1;
            for (int[] stage : MOBILENET_V2) {
                int t = stage[0];
                int c = stage[1];
                int n = stage[2];
                int s = stage[3];
                for (int i = 0; i < n; i++) {
                    int stride = i == 0 ? s : 1;
                    int blockDilation = dilation;
                    if (stride == 2 && outputStride >= 16) {
                        // keep the resolution: dilate the rest of the network instead of striding
                        stride = 1;
                        dilation *= 2;
                    } else if (stride == 2) {
                        outputStride *= 2;
                    }
                    x = invertedResidual(x, t, c, stride, i == 0 ? blockDilation : dilation);
                }
            }

            // ASPP
            String[] branches = new String[2 + atrousRates.length];
            int b = 0;
            branches[b++] = relu(conv(x, asppChannels, 1, 1, 1, 1, true)).name;
            for (int rate : atrousRates) {
                branches[b++] = relu(conv(x, asppChannels, 3, 1, rate, 1, true)).name;
            }
            Tensor pooled = new Tensor(g.globalAveragePool(x.name), x.channels, 1);
            Tensor pooledConv = relu(conv(pooled, asppChannels, 1, 1, 1, 1, true));
            branches[b++] = g.resize(pooledConv.name,
                    ResizeSpec.linear().withSizes(1, asppChannels, x.size, x.size));
            Tensor cat = new Tensor(g.concat(1, branches), asppChannels * branches.length, x.size);
            Tensor projected = relu(zeroMeanConv(cat, asppChannels, Math.sqrt(2.0 / cat.channels)));
            Tensor logits = classifier(projected);
            String up = g.resize(logits.name, ResizeSpec.linear().withTransform("half_pixel").withSizes(1, classes, size, size));
            g.node("Identity", up).outputs("logits");
            g.output("logits", DataType.FLOAT, 1, classes, size, size);
            return g.build();
        }

        private Tensor invertedResidual(Tensor in, int expansion, int outChannels, int stride, int dilation) {
            Tensor x = in;
            int hidden = in.channels * expansion;
            if (expansion != 1) {
                x = relu6(conv(x, hidden, 1, 1, 1, 1, true));
            }
            x = relu6(conv(x, hidden, 3, stride, dilation, hidden, true));
            x = project(x, outChannels);
            if (stride == 1 && in.channels == outChannels) {
                return new Tensor(g.add(in.name, x.name), outChannels, x.size);
            }
            return x;
        }

        /**
         * The 1x1 classifier. Its input is non-negative (after ReLU) with a large common mean, which random weights would
         * turn into one class winning everywhere; each class's weights are therefore made to sum to zero, so the logits
         * follow the spatial variation of the features rather than their mean.
         */
        private Tensor classifier(Tensor in) {
            return zeroMeanConv(in, classes, Math.sqrt(2.0 / in.channels));
        }

        /**
         * A 1x1 conv with zero bias whose weights sum to zero for every output channel: it ignores the common mean of a
         * non-negative (post-ReLU) input and responds to its variation only.
         */
        private Tensor zeroMeanConv(Tensor in, int outChannels, double std) {
            float[] w = new float[outChannels * in.channels];
            for (int c = 0; c < outChannels; c++) {
                double sum = 0;
                for (int i = 0; i < in.channels; i++) {
                    w[c * in.channels + i] = (float) (random.nextGaussian() * std);
                    sum += w[c * in.channels + i];
                }
                float mean = (float) (sum / in.channels);
                for (int i = 0; i < in.channels; i++) {
                    w[c * in.channels + i] -= mean;
                }
            }
            float[] bias = new float[outChannels];
            String out = g.conv(in.name, w, new long[] {outChannels, in.channels, 1, 1}, bias, 1, 1, 0, 1);
            convs++;
            macs += (long) in.size * in.size * outChannels * in.channels;
            params += w.length + bias.length;
            return new Tensor(out, outChannels, in.size);
        }

        private Tensor project(Tensor in, int outChannels) {
            return convWithStd(in, outChannels, 1, 1, 1, 1, Math.sqrt(1.0 / in.channels));
        }

        /** A conv followed by an activation ({@code activated}) gets He-normal weights; a linear one {@code sqrt(1/fan_in)}. */
        private Tensor conv(Tensor in, int outChannels, int kernel, int stride, int dilation, int group, boolean activated) {
            int fanIn = in.channels / group * kernel * kernel;
            double std = activated ? Math.sqrt(2.0 / fanIn) : Math.sqrt(1.0 / fanIn);
            return convWithStd(in, outChannels, kernel, stride, dilation, group, std);
        }

        private Tensor convWithStd(Tensor in, int outChannels, int kernel, int stride, int dilation, int group, double std) {
            int cin = in.channels / group;
            float[] w = new float[outChannels * cin * kernel * kernel];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (random.nextGaussian() * std);
            }
            float[] bias = new float[outChannels];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) (random.nextGaussian() * BIAS_STD);
            }
            int pad = dilation * (kernel - 1) / 2;
            String out = g.conv(in.name, w, new long[] {outChannels, cin, kernel, kernel}, bias, group, stride, pad, dilation);
            int outSize = (in.size + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
            convs++;
            macs += (long) outSize * outSize * outChannels * cin * kernel * kernel;
            params += w.length + bias.length;
            return new Tensor(out, outChannels, outSize);
        }

        private Tensor relu6(Tensor t) {
            return new Tensor(g.relu6(t.name), t.channels, t.size);
        }

        private Tensor relu(Tensor t) {
            return new Tensor(g.relu(t.name), t.channels, t.size);
        }
    }

    /** A value in the graph with its channel count and (square) spatial size. */
    private record Tensor(String name, int channels, int size) {
    }
}
