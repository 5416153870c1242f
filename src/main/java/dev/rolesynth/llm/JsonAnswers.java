package dev.rolesynth.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Parses a model's JSON answer and validates it against the stage's JSON Schema. */
public final class JsonAnswers {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  /**
   * Compiled schemas, most recently used kept. Bounded: some stages narrow their schema per record
   * (an enum of this role's names), and keeping every one compiled held gigabytes on a 100k-role
   * run.
   */
  private static final int COMPILED_KEPT = 512;

  private static final Map<String, JsonSchema> COMPILED =
      Collections.synchronizedMap(
          new LinkedHashMap<>(COMPILED_KEPT, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, JsonSchema> eldest) {
              return size() > COMPILED_KEPT;
            }
          });

  private JsonAnswers() {}

  static int compiledSchemas() {
    return COMPILED.size();
  }

  /** Thrown with a message fit to send back to the model. */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message);
    }
  }

  /**
   * Reads the JSON object in {@code content}. Models often wrap JSON in a code fence or add a
   * sentence of reasoning first, so the outermost {...} is taken.
   */
  public static JsonNode parse(String content) throws Invalid {
    String text = content == null ? "" : content.trim();
    int start = text.indexOf('{');
    int end = text.lastIndexOf('}');
    if (start < 0 || end <= start) {
      throw new Invalid("the answer contains no JSON object");
    }
    try {
      return MAPPER.readTree(text.substring(start, end + 1));
    } catch (JsonProcessingException e) {
      throw new Invalid("the answer is not valid JSON (" + e.getOriginalMessage() + ")");
    }
  }

  /**
   * @return null when valid, else the first few violations in one line
   */
  public static String violations(JsonNode schema, JsonNode answer) {
    String key = schema.toString();
    JsonSchema compiled = COMPILED.get(key);
    if (compiled == null) {
      compiled =
          FACTORY.getSchema(schema); // outside the lock: compiling takes longer than validating
      COMPILED.put(key, compiled);
    }
    Set<ValidationMessage> errors = compiled.validate(answer);
    if (errors.isEmpty()) {
      return null;
    }
    return errors.stream()
        .limit(5)
        .map(ValidationMessage::getMessage)
        .sorted()
        .collect(Collectors.joining("; "));
  }
}
