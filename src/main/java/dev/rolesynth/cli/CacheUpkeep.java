package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.llm.CacheMaintenance;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.pipeline.BeamCacheStore;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Set;

/**
 * The request cache's retention before a run and its compaction after a succeeded one
 * (docs/operations.md, "Crashes").
 */
final class CacheUpkeep {
  private final LlmConfig llm;
  private final int retentionDays;
  private int expired;
  private int compacted;

  private final String nightsBase;

  /**
   * @param nightsBase for fresh nights, the folder holding one cache folder per night; else null
   */
  CacheUpkeep(LlmConfig llm, int retentionDays, String nightsBase) {
    this.llm = llm;
    this.retentionDays = retentionDays;
    this.nightsBase = nightsBase;
  }

  void beforeRun(PrintStream err) throws IOException {
    if (!llm.cached()) {
      return;
    }
    long now = System.currentTimeMillis();
    if (nightsBase != null) {
      for (BeamCacheStore night : BeamCacheStore.nights(nightsBase)) {
        expired += CacheMaintenance.expire(night, retentionDays, now);
      }
    } else {
      expired = CacheMaintenance.expire(new BeamCacheStore(llm.cacheDir()), retentionDays, now);
    }
    if (expired > 0) {
      err.println(
          "rolesynth: request cache: "
              + expired
              + " files older than "
              + retentionDays
              + " days removed (--cacheRetentionDays)");
    }
  }

  void afterSuccess(String runId) throws IOException {
    if (llm.cached()) {
      compacted = CacheMaintenance.compact(new BeamCacheStore(llm.cacheDir()), runId);
    }
  }

  /** Answers the cache holds now (0 without a cache, or when it cannot be read). */
  long answers() {
    if (!llm.cached()) {
      return 0;
    }
    try {
      return CacheMaintenance.answers(new BeamCacheStore(llm.cacheDir()));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The files recording sent requests now: a run counts what it paid again against these. */
  Set<String> sentFiles() {
    try {
      return llm.cached()
          ? CacheMaintenance.sentFiles(new BeamCacheStore(llm.cacheDir()))
          : Set.of();
    } catch (IOException | RuntimeException e) {
      return Set.of();
    }
  }

  /** Requests paid again since {@code before} (every attempt of the run), or -1 without a cache. */
  long repeatedSince(Set<String> before) {
    try {
      return llm.cached()
          ? CacheMaintenance.repeatedSince(new BeamCacheStore(llm.cacheDir()), before)
          : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** What a person needs to resume a failed run: what the cache keeps, where, and the command. */
  String describeForResume() {
    return llm.cached()
        ? answers()
            + " answers are kept in the request cache "
            + llm.cacheDir()
            + "; run the same command again to resume from it"
        : "no request cache (--cacheDir=off): a rerun pays again";
  }

  void describe(ObjectNode llmNode) {
    ObjectNode c = llmNode.putObject("cache");
    c.put("dir", llm.cached() ? llm.cacheDir() : "");
    c.put("retentionDays", retentionDays);
    c.put("expiredFiles", expired);
    c.put("compactedSegments", compacted);
  }
}
