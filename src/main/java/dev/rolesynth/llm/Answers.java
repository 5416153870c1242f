package dev.rolesynth.llm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Map;

/** Reading an LLM's structured answer, after its JSON Schema passed. */
public final class Answers {
  /** Strings trimmed, as every stage read them by hand; fields the record does not name ignored. */
  private static final ObjectMapper RECORDS =
      JsonMapper.builder()
          .addModule(new SimpleModule().addDeserializer(String.class, new Stripped()))
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private Answers() {}

  /**
   * The answer's string field {@code field}, trimmed. A missing field is an unusable answer (the
   * call's dead letter names the field), never an empty string passed on as data.
   */
  public static String text(JsonNode answer, String field) {
    JsonNode v = answer == null ? null : answer.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("the answer has no \"" + field + "\"");
    }
    return v.asText().strip();
  }

  /**
   * The answer as the Java record that mirrors its schema: components named as the answer's fields
   * (nested records and lists as nested objects and arrays), strings trimmed. A field the record
   * needs and the answer lacks is an unusable answer naming it.
   */
  public static <R extends Record> R as(JsonNode answer, Class<R> type) {
    if (answer == null || !answer.isObject()) {
      throw new IllegalArgumentException("the answer is not a JSON object");
    }
    for (RecordComponent c : type.getRecordComponents()) {
      JsonNode v = answer.get(c.getName());
      if (v == null || v.isNull()) {
        throw new IllegalArgumentException("the answer has no \"" + c.getName() + "\"");
      }
    }
    try {
      return RECORDS.treeToValue(answer, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the answer does not read as " + type.getSimpleName() + ": " + e.getOriginalMessage());
    }
  }

  /** {@code answer} (a record mirroring a schema) as the JSON a model would have sent. */
  public static JsonNode json(Record answer) {
    return RECORDS.valueToTree(answer);
  }

  /** Fields in their order as a JSON object, as a model would have sent them. */
  public static JsonNode json(Map<String, String> fields) {
    return RECORDS.valueToTree(fields);
  }

  private static final class Stripped extends StringDeserializer {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String s = super.deserialize(p, ctxt);
      return s == null ? null : s.strip();
    }
  }
}
