package org.int8workbench.core;

/** The product version. Kept in step with the bundles' {@code Bundle-Version} by the build. */
public final class Version {
    /** Product version, e.g. {@code 0.1.0}. */
    public static final String PRODUCT = "0.1.0";

    private Version() {
    }
}
