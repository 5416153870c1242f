package dev.rolesynth.orca;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.review.RecordView;
import dev.rolesynth.review.Transcript;
import java.util.Set;
import java.util.TreeSet;

/**
 * Orca's records in the review: PCIP records by reply or post and the sections they relate to;
 * users by kind.
 */
@AutoService(RecordView.class)
public final class OrcaView implements RecordView {
  @Override
  public Set<String> schemas() {
    return Set.of("PcipRecord", "OrcaUser");
  }

  @Override
  public String stratum(String schema, JsonNode r) {
    if (schema.equals("OrcaUser")) {
      return r.path("persona").asBoolean() ? "persona" : "user";
    }
    Set<String> sections = new TreeSet<>();
    if (r.path("profileRelated").asBoolean()) {
      sections.add("profile");
    }
    if (r.path("personalityRelated").asBoolean()) {
      sections.add("personality");
    }
    if (r.path("knowledgeRelated").asBoolean()) {
      sections.add("knowledge");
    }
    return (r.path("isReply").asBoolean() ? "reply" : "post")
        + " · "
        + (sections.isEmpty() ? "no section" : String.join("+", sections));
  }

  /** A PCIP record is Alpaca-shaped; a user's profile has no chat (its facts show it). */
  @Override
  public void transcript(String schema, JsonNode r, Transcript out) {
    if (schema.equals("PcipRecord")) {
      out.alpaca(r);
    }
  }
}
