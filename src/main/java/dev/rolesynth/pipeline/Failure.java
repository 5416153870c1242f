package dev.rolesynth.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.pool.Origin;
import java.io.Serializable;
import java.util.Set;

/**
 * A dead letter: an input record (or one of its calls) that could not become output, and why.
 *
 * @param recordId the input record's id (for unparseable lines, {@code file:line})
 * @param callId the failed unit inside the record (a turn, a stage) or the record id again
 * @param reason short machine-readable reason, e.g. {@code malformed_json}, {@code http_400}
 * @param detail a human-readable sentence naming the field or the server's answer
 */
public record Failure(
    String recordId, String callId, String stage, String reason, String detail, Origin origin)
    implements Serializable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Whether this dead letter is one of the method's own filter decisions, as its pipeline declares
   * them.
   */
  public boolean filtered(Set<String> filterReasons) {
    return filterReasons.contains(reason);
  }

  /**
   * @param filterReasons the reasons the pipeline declares as its method's filter decisions
   */
  public String toJson(Set<String> filterReasons) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", recordId);
    n.put("callId", callId);
    n.put("stage", stage);
    n.put("reason", reason);
    n.put("detail", detail);
    n.put("filtered", filtered(filterReasons));
    if (origin != null) {
      n.put("file", origin.file());
      n.put("line", origin.line());
    }
    return n.toString();
  }
}
