package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.pipeline.CallLlm;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** What a finished job measured: its counters and gauges, and what the launcher's JVM used. */
final class JobMetrics {
  private JobMetrics() {}

  static Map<String, Long> counters(PipelineResult result, List<String> always) {
    Map<String, Long> out = new LinkedHashMap<>();
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(CallLlm.METRICS))
                    .build());
    for (MetricResult<Long> c : metrics.getCounters()) {
      Long v;
      try {
        v = c.getCommitted();
      } catch (UnsupportedOperationException e) {
        v = c.getAttempted();
      }
      out.merge(c.getName().getName(), v == null ? 0 : v, Long::sum);
    }
    for (String name : always) {
      out.putIfAbsent(name, 0L);
    }
    return out;
  }

  /**
   * The last pace each LLM stage reported (requests and tokens per minute; -1 = unlimited), by
   * gauge name.
   */
  static Map<String, Long> paces(PipelineResult result) {
    Map<String, Long> out = new TreeMap<>();
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(CallLlm.METRICS))
                    .build());
    Map<String, Long> stamps = new TreeMap<>();
    for (MetricResult<GaugeResult> g : metrics.getGauges()) {
      GaugeResult v;
      try {
        v = g.getCommitted();
      } catch (UnsupportedOperationException e) {
        v = g.getAttempted();
      }
      String name = g.getName().getName();
      if (v != null && v.getTimestamp().getMillis() >= stamps.getOrDefault(name, Long.MIN_VALUE)) {
        stamps.put(name, v.getTimestamp().getMillis());
        out.put(name.substring(name.lastIndexOf('.') + 1), v.getValue());
      }
    }
    return out;
  }

  /**
   * Peak heap of this JVM and its peak resident set (Linux), for the manifest: the memory figures
   * of a run in one JVM (DirectRunner, embedded Flink); a cluster's workers report theirs to Flink.
   */
  static ObjectNode resources() {
    ObjectNode r = Manifest.MAPPER.createObjectNode();
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        heap += pool.getPeakUsage().getUsed();
      }
    }
    r.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    r.put("peakHeapBytes", heap);
    r.put("peakRssBytes", peakRss());
    return r;
  }

  /** VmHWM from /proc/self/status, or -1 where there is none. */
  private static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }
}
