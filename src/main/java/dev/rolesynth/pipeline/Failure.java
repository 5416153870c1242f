package dev.rolesynth.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.pool.Origin;
import java.io.Serializable;

/**
 * A dead letter: an input record (or one of its calls) that could not become output, and why.
 *
 * @param recordId the input record's id (for unparseable lines, {@code file:line})
 * @param callId the failed unit inside the record (a turn, a stage) or the record id again
 * @param reason short machine-readable reason, e.g. {@code malformed_json}, {@code http_400}
 * @param detail a human-readable sentence naming the field or the server's answer
 */
public record Failure(String recordId, String callId, String stage, String reason, String detail, Origin origin)
    implements Serializable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /**
   * Reasons that record a method's own filter decision (a judge, a coherence or conflict check), not
   * an error: they are dead letters like any other, but do not count towards --maxFailureRatio.
   */
  public static final java.util.Set<String> FILTER_REASONS = java.util.Set.of("judge_filtered", "incoherent", "profile_conflict",
      // Orca's author filters: too few posts for a personality, or none left after the post filters
      "too_few_posts", "no_posts_left");

  public boolean filtered() {
    return FILTER_REASONS.contains(reason);
  }

  public String toJson() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", recordId);
    n.put("callId", callId);
    n.put("stage", stage);
    n.put("reason", reason);
    n.put("detail", detail);
    n.put("filtered", filtered());
    if (origin != null) {
      n.put("file", origin.file());
      n.put("line", origin.line());
    }
    return n.toString();
  }
}
