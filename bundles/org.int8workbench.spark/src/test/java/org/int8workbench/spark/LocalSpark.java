package org.int8workbench.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** The tests' Spark: {@code local[2]} bound to the loopback address, no web UI, warnings only. */
final class LocalSpark {

    private LocalSpark() {
    }

    /** A running local[2] Spark named {@code app}. */
    static JavaSparkContext start(String app) {
        JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName(app)
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"));
        sc.setLogLevel("WARN");
        return sc;
    }

    /** Stops {@code sc} (when started) and closes the sessions its executors (this JVM) opened. */
    static void stop(JavaSparkContext sc) {
        if (sc != null) {
            sc.stop();
        }
        ExecutorEvaluations.closeAll();
        ExecutorScorings.closeAll();
    }
}
