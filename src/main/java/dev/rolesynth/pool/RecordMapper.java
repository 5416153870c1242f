package dev.rolesynth.pool;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;

/** Turns one parsed pool record into a pipeline's input type, or says exactly what is wrong with it. */
public interface RecordMapper<T extends PoolRecord> extends Serializable {
  T map(JsonNode record, Origin origin) throws BadRecordException;

  Class<T> type();
}
