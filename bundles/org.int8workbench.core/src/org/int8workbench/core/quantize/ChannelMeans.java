package org.int8workbench.core.quantize;

import java.nio.FloatBuffer;

/** Running per-channel means of a tensor laid out {@code [N, C, ...]} (channel axis 1). */
final class ChannelMeans {
    private double[] sums;
    private long perChannel;

    public void add(FloatBuffer values, long[] shape) {
        int channels = shape.length > 1 ? (int) shape[1] : 1;
        long inner = 1;
        for (int i = 2; i < shape.length; i++) {
            inner *= shape[i];
        }
        if (sums == null) {
            sums = new double[channels];
        }
        int n = values.remaining();
        int off = values.position();
        int block = (int) inner;
        for (int start = 0, c = 0; start < n; start += block, c = (c + 1) % channels) {
            double sum = 0;
            for (int i = start, end = Math.min(n, start + block); i < end; i++) {
                sum += values.get(off + i);
            }
            sums[c] += sum;
        }
        perChannel += n / channels;
    }

    /** Per-channel means, or {@code null} when nothing was added. */
    public float[] means() {
        if (sums == null) {
            return null;
        }
        float[] m = new float[sums.length];
        for (int c = 0; c < m.length; c++) {
            m[c] = (float) (sums[c] / perChannel);
        }
        return m;
    }
}
