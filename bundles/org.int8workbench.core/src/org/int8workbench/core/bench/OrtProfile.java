package org.int8workbench.core.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.int8workbench.core.onnx.OrtOptimizedGraph;
import org.int8workbench.core.report.BenchmarkOpTime;
import org.int8workbench.core.report.BenchmarkProfile;

/**
 * Reads ONNX Runtime's profile (the Chrome-trace JSON written by {@code SessionOptions.enableProfiling} and
 * named by {@code OrtSession.endProfiling()}): node events ({@code cat} {@code Node}, name
 * {@code <node>_kernel_time}, {@code args.op_name}) summed per operator type, per run. The first
 * {@code model_run} is discarded as warm-up when there are more. A node counts as float compute when its operator
 * is {@link OrtOptimizedGraph#isFloatComputeOp} and its first input is a float tensor
 * ({@code args.input_type_shape}).
 */
public final class OrtProfile {
    private OrtProfile() {
    }

    /** Time per operator type, and the time of float compute nodes. */
    public static BenchmarkProfile parse(Path trace) throws IOException {
        JsonArray events;
        try (Reader r = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(r);
            if (!root.isJsonArray()) {
                throw new IOException(trace + " is not an ONNX Runtime profile (expected a JSON array of trace events)");
            }
            events = root.getAsJsonArray();
        }
        List<long[]> runs = new ArrayList<>();
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if ("Session".equals(str(o, "cat")) && "model_run".equals(str(o, "name"))) {
                runs.add(new long[] {o.get("ts").getAsLong(), o.get("dur").getAsLong()});
            }
        }
        runs.sort(Comparator.comparingLong(a -> a[0]));
        long skipBefore = runs.size() > 1 ? runs.get(0)[0] + runs.get(0)[1] : Long.MIN_VALUE;
        int counted = Math.max(1, runs.size() > 1 ? runs.size() - 1 : runs.size());
        Map<String, Long> micros = new HashMap<>();
        Map<String, Set<String>> nodes = new HashMap<>();
        long total = 0;
        long floatTotal = 0;
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            String name = str(o, "name");
            if (!"Node".equals(str(o, "cat")) || name == null || !name.endsWith("_kernel_time")) {
                continue;
            }
            if (o.get("ts").getAsLong() < skipBefore) {
                continue;
            }
            JsonObject args = o.has("args") ? o.getAsJsonObject("args") : new JsonObject();
            String op = args.has("op_name") ? args.get("op_name").getAsString() : "?";
            String node = name.substring(0, name.length() - "_kernel_time".length());
            long dur = o.get("dur").getAsLong();
            micros.merge(op, dur, Long::sum);
            nodes.computeIfAbsent(op, k -> new HashSet<>()).add(node);
            total += dur;
            if (OrtOptimizedGraph.isFloatComputeOp(op) && firstInputIsFloat(args)) {
                floatTotal += dur;
            }
        }
        List<BenchmarkOpTime> ops = new ArrayList<>();
        for (Map.Entry<String, Long> m : micros.entrySet()) {
            ops.add(new BenchmarkOpTime(m.getKey(), nodes.get(m.getKey()).size(), m.getValue() / 1000.0 / counted,
                    total == 0 ? 0 : (double) m.getValue() / total));
        }
        ops.sort(Comparator.comparingDouble(BenchmarkOpTime::msPerRun).reversed().thenComparing(BenchmarkOpTime::opType));
        return new BenchmarkProfile(counted, total / 1000.0 / counted, ops, floatTotal / 1000.0 / counted,
                total == 0 ? 0 : (double) floatTotal / total);
    }

    private static boolean firstInputIsFloat(JsonObject args) {
        JsonElement shapes = args.get("input_type_shape");
        if (shapes == null || !shapes.isJsonArray() || shapes.getAsJsonArray().isEmpty()) {
            return false;
        }
        JsonElement first = shapes.getAsJsonArray().get(0);
        if (!first.isJsonObject()) {
            return false;
        }
        for (String type : first.getAsJsonObject().keySet()) {
            if (type.equals("float") || type.equals("double") || type.equals("float16") || type.equals("bfloat16")) {
                return true;
            }
        }
        return false;
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
