package dev.rolesynth.pool;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.Map;

/**
 * Turns one parsed pool record into a pipeline's input type, or says exactly what is wrong with it.
 */
public interface RecordMapper<T extends PoolRecord> extends Serializable {
  T map(JsonNode record, Origin origin) throws BadRecordException;

  Class<T> type();

  /**
   * What the id of a mapped record was made from, by the pool's field names: {@code {"id": ...}}
   * when the pool gave the id, else the fields it was derived from ({@link RecordIds}). Records
   * sharing an id are told apart with it.
   */
  Map<String, String> identity(JsonNode record, T mapped);

  /** The same record under another id (a namesake told apart by its line). */
  T withId(T record, String id);
}
