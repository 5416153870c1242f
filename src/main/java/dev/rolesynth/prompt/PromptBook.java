package dev.rolesynth.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.ConfigException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A pipeline's prompt templates and stage schemas, loaded and checked once by the launcher and
 * shipped to workers inside the transforms, so workers need no {@code pipelines/} folder.
 *
 * <p>Templates come from {@code pipelines/<pipeline>/prompts/} on the classpath unless a prompt
 * folder is given: a file {@code <name>.mustache} there replaces the shipped one (a translation, a
 * house style). The hashes of the templates actually used go into provenance.
 */
public final class PromptBook implements Serializable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Map<String, PromptTemplate> templates = new TreeMap<>();
  private final Map<String, String> schemas = new TreeMap<>();
  private final Map<String, StageSpec> stages = new LinkedHashMap<>();
  private transient Map<String, JsonNode> parsed;

  private PromptBook() {}

  /**
   * The templates and schemas of the stages {@code pipelines/<pipeline>/pipeline.yaml} declares,
   * and the templates it lists under {@code templates:} (those that shape output records, not
   * calls).
   *
   * @param promptDir folder of replacement templates, or blank for the shipped ones only
   */
  public static PromptBook load(String pipeline, String promptDir) {
    JsonNode declaration = declaration(pipeline);
    Map<String, StageSpec> declared = StageSpec.parse(pipeline, declaration.get("stages"));
    Set<String> templates = new TreeSet<>();
    declaration
        .path("templates")
        .forEach(t -> templates.add(t.asText())); // those of records, not of calls
    Set<String> schemas = new TreeSet<>();
    for (StageSpec s : declared.values()) {
      Stream.of(s.system(), s.user()).filter(Objects::nonNull).forEach(templates::add);
      schemas.add(s.schema());
    }
    PromptBook book = load(pipeline, promptDir, List.copyOf(templates), List.copyOf(schemas));
    book.stages.putAll(declared);
    return book;
  }

  /**
   * The dead-letter reasons the pipeline declares (under {@code filters:}) as its method's filter
   * decisions.
   */
  public static Set<String> filters(String pipeline) {
    Set<String> out = new TreeSet<>();
    declaration(pipeline).path("filters").fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** The parsed {@code pipelines/<pipeline>/pipeline.yaml}. */
  public static JsonNode declaration(String pipeline) {
    String file = "pipelines/" + pipeline + "/pipeline.yaml";
    try {
      return new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
          .readTree(Resources.text(file));
    } catch (IOException e) {
      throw new ConfigException(file + " is not valid YAML: " + e.getMessage());
    }
  }

  /** The declared stages' names, in file order. */
  public Set<String> stageNames() {
    return Collections.unmodifiableSet(stages.keySet());
  }

  /**
   * A declared stage; an undeclared name is a programming error, caught by every test of the stage.
   */
  public StageSpec stage(String name) {
    StageSpec s = stages.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "stage " + name + " is not declared in its pipeline.yaml; declared: " + stages.keySet());
    }
    return s;
  }

  /**
   * @param promptDir folder of replacement templates, or blank for the shipped ones only
   */
  static PromptBook load(
      String pipeline, String promptDir, List<String> templateNames, List<String> schemaNames) {
    PromptBook book = new PromptBook();
    Map<String, String> own =
        promptDir == null || promptDir.isBlank() ? Map.of() : promptFiles(promptDir.strip());
    if (!own.isEmpty()) {
      strangers(promptDir, own.keySet(), templateNames, pipeline);
    }
    for (String name : templateNames) {
      PromptTemplate shipped = Resources.template(pipeline, name);
      String text = own.get(name + ".mustache");
      if (text != null) {
        try {
          TemplateCheck.check(shipped, text);
          book.templates.put(name, new PromptTemplate(name, text));
        } catch (RuntimeException e) {
          throw new ConfigException(
              "--promptDir template "
                  + promptDir.strip()
                  + "/"
                  + name
                  + ".mustache cannot be used: "
                  + e.getMessage());
        }
      } else {
        book.templates.put(name, shipped);
      }
    }
    for (String name : schemaNames) {
      book.schemas.put(name, Resources.schema(pipeline, name).toString());
    }
    return book;
  }

  /**
   * How a --promptDir on object storage ({@code s3://}, {@code hdfs://}) is read: the launcher
   * installs a reader over Beam's filesystems, which this package does not depend on. It gives the
   * folder's {@code .mustache} files by name.
   */
  public static void readRemoteFoldersWith(Function<String, Map<String, String>> reader) {
    remoteFolders = reader;
  }

  private static volatile Function<String, Map<String, String>> remoteFolders;

  /** The {@code .mustache} files of a prompt folder, by file name. */
  private static Map<String, String> promptFiles(String promptDir) {
    if (promptDir.contains("://")) {
      if (remoteFolders == null) {
        throw new ConfigException("--promptDir " + promptDir + ": no filesystem is set up for it");
      }
      return remoteFolders.apply(promptDir);
    }
    Path dir = Path.of(promptDir);
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("--promptDir " + promptDir + " is not a folder");
    }
    Map<String, String> out = new TreeMap<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".mustache")).toList()) {
        out.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new ConfigException("--promptDir " + promptDir + " cannot be read: " + e.getMessage());
    }
    return out;
  }

  /** A {@code .mustache} file in the prompt folder that replaces nothing is a misspelt name. */
  private static void strangers(
      String dir, Set<String> files, List<String> templateNames, String pipeline) {
    List<String> unknown =
        files.stream()
            .filter(f -> !templateNames.contains(f.substring(0, f.length() - ".mustache".length())))
            .sorted()
            .toList();
    if (!unknown.isEmpty()) {
      throw new ConfigException(
          "--promptDir "
              + dir
              + " has "
              + String.join(", ", unknown)
              + ", which "
              + (unknown.size() == 1 ? "is" : "are")
              + " no template of "
              + pipeline
              + "; its templates: "
              + String.join(", ", templateNames.stream().map(n -> n + ".mustache").toList()));
    }
  }

  public PromptTemplate template(String name) {
    PromptTemplate t = templates.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no template " + name);
    }
    return t;
  }

  public String render(String template, Map<String, ?> context) {
    return template(template).render(context);
  }

  /** A stage schema; the instance is shared, so deep-copy it before changing it. */
  public synchronized JsonNode schema(String name) {
    if (parsed == null) {
      parsed = new TreeMap<>();
      for (Map.Entry<String, String> e : schemas.entrySet()) {
        try {
          parsed.put(e.getKey(), MAPPER.readTree(e.getValue()));
        } catch (IOException ex) {
          throw new IllegalStateException(ex);
        }
      }
    }
    JsonNode s = parsed.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no schema " + name);
    }
    return s;
  }

  /** Template name to sha256, for provenance and the manifest. */
  public Map<String, String> templateHashes() {
    Map<String, String> out = new TreeMap<>();
    templates.forEach((k, v) -> out.put(k, v.sha256()));
    return out;
  }
}
