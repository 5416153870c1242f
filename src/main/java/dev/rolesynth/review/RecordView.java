package dev.rolesynth.review;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * How a method's records read in the review, declared beside the method and registered with
 * {@code @AutoService(RecordView.class)}: the default strata that say something about the method,
 * and how a record reads as a chat. Records no view claims still review (see {@link RecordViews}).
 */
public interface RecordView {
  /** The Avro schema names (records' kinds) this view reads. */
  Set<String> schemas();

  /** The method's default stratum of a record of one of its schemas. */
  String stratum(String schema, JsonNode record);

  /** Writes the record as a chat, the system prompt first where there is one. */
  void transcript(String schema, JsonNode record, Transcript out);
}
