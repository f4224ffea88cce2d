package org.int8workbench.core.metrics;

/**
 * Distance between two raw output tensors of the same shape (e.g. the logits of a parent and its optimized
 * model): mean squared error and cosine similarity over all values.
 *
 * @param mse mean of (a - b)^2
 * @param cosine a.b / (|a| |b|); 1 for identical direction, NaN when a tensor is all zeros
 */
public record TensorDistance(double mse, double cosine) {

    public static TensorDistance of(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("outputs differ in size: " + a.length + " and " + b.length + " values");
        }
        double se = 0;
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            double x = a[i];
            double y = b[i];
            double d = x - y;
            se += d * d;
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        double denom = Math.sqrt(na) * Math.sqrt(nb);
        return new TensorDistance(a.length == 0 ? Double.NaN : se / a.length, denom == 0 ? Double.NaN : dot / denom);
    }
}
