package dev.rolesynth.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rolesynth.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Loads the pipeline data shipped on the classpath: prompt templates and stage schemas. */
public final class Resources {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Resources() {}

  public static String text(String path) {
    try (InputStream in = Resources.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new ConfigException("resource not found on the classpath: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read resource " + path + ": " + e.getMessage());
    }
  }

  /**
   * A YAML file on the class path as a tree; an empty one when {@code optional} and the file is
   * absent.
   */
  public static JsonNode yaml(String path, boolean optional) {
    String text;
    try {
      text = text(path);
    } catch (ConfigException missing) {
      if (optional) {
        return YAML.createObjectNode();
      }
      throw missing;
    }
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(path + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  /** {@code pipelines/<pipeline>/prompts/<name>.mustache} */
  public static PromptTemplate template(String pipeline, String name) {
    return new PromptTemplate(
        name, text("pipelines/" + pipeline + "/prompts/" + name + ".mustache"));
  }

  /** {@code schemas/<pipeline>/<name>.schema.json} */
  public static JsonNode schema(String pipeline, String name) {
    try {
      return MAPPER.readTree(text("schemas/" + pipeline + "/" + name + ".schema.json"));
    } catch (IOException e) {
      throw new ConfigException(
          "schema " + pipeline + "/" + name + " is not valid JSON: " + e.getMessage());
    }
  }
}
