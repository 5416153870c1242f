package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rolesynth.options.Knobs;
import dev.rolesynth.options.RolesynthOptions;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The deployment examples as shipped: every manifest parses, the CronJob runs on the cluster and is
 * not retried on a configuration error, the workers get the key and the data volume, and every
 * option the examples pass is one rolesynth has.
 */
public class DeployManifestsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<JsonNode> manifests() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("deploy"))) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList()) {
        try (var it = YAML.readValues(YAML.getFactory().createParser(f.toFile()), JsonNode.class)) {
          while (it.hasNext()) {
            JsonNode d = it.next();
            if (d != null && !d.isNull() && !d.isMissingNode()) {
              docs.add(d);
            }
          }
        }
      }
    }
    return docs;
  }

  static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " under deploy/"));
  }

  /** The CronJob's container arguments, as the launcher gets them. */
  static List<String> cronArgs() throws Exception {
    List<String> out = new ArrayList<>();
    kind(manifests(), "CronJob")
        .at("/spec/jobTemplate/spec/template/spec/containers/0/args")
        .forEach(a -> out.add(a.asText()));
    return out;
  }

  private static Set<String> envFromSecret(JsonNode container) {
    Set<String> names = new HashSet<>();
    container
        .path("env")
        .forEach(
            e -> {
              if (e.at("/valueFrom/secretKeyRef").isObject()) {
                names.add(e.get("name").asText());
              }
            });
    return names;
  }

  @Test
  public void theNightlyCronJobRunsOnTheClusterAndIsNotRetriedOnAConfigurationError()
      throws Exception {
    List<JsonNode> docs = manifests();
    JsonNode cron = kind(docs, "CronJob");
    assertEquals("Forbid", cron.at("/spec/concurrencyPolicy").asText());
    JsonNode job = cron.at("/spec/jobTemplate/spec");
    assertTrue("activeDeadlineSeconds", job.path("activeDeadlineSeconds").asLong() > 0);
    boolean failsOnTwo = false;
    for (JsonNode rule : job.at("/podFailurePolicy/rules")) {
      if (rule.path("action").asText().equals("FailJob")) {
        for (JsonNode v : rule.at("/onExitCodes/values")) {
          failsOnTwo |= v.asInt() == 2;
        }
      }
    }
    assertTrue("podFailurePolicy: exit 2 fails the job at once", failsOnTwo);
    JsonNode pod = job.at("/template/spec");
    assertEquals("Never", pod.path("restartPolicy").asText());
    assertTrue(
        "time to cancel the Flink job", pod.path("terminationGracePeriodSeconds").asInt() >= 30);
    JsonNode container = pod.at("/containers/0");
    List<String> args = cronArgs();
    assertThat(args, hasItem("--runner=FlinkRunner"));
    assertTrue(args.stream().anyMatch(a -> a.startsWith("--flinkMaster=")));
    assertThat(envFromSecret(container), hasItem("ROLESYNTH_API_KEY"));
    Set<String> fromConfigMap = new HashSet<>();
    container
        .path("env")
        .forEach(
            e -> {
              if (e.at("/valueFrom/configMapKeyRef").isObject()) {
                fromConfigMap.add(e.get("name").asText());
              }
            });
    assertTrue(fromConfigMap.containsAll(Set.of("LLM_ENDPOINT", "LLM_MODEL")));
    assertThat(args, hasItem("--llmEndpoint=$(LLM_ENDPOINT)"));
    assertThat(args, hasItem("--llmModel=$(LLM_MODEL)"));
    assertEquals(
        kind(docs, "ConfigMap").at("/metadata/name").asText(),
        container.at("/env").findValue("configMapKeyRef").get("name").asText());
    // No shared volume: the data is in the bucket configs/nightly.yaml names, reached with the
    // Secret's credentials.
    assertThat(envFromSecret(container), hasItems("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"));
    JsonNode config = YAML.readTree(Path.of("configs/nightly.yaml").toFile());
    for (String path : List.of("input", "output", "cacheDir", "ledgerDir")) {
      assertTrue(path + " is in the bucket", config.path(path).asText().startsWith("s3://"));
    }
    assertThat(config.path("output").asText(), containsString("{runDate}"));
  }

  @Test
  public void theTaskManagersGetTheKeyAndTheBucketsCredentials() throws Exception {
    List<JsonNode> docs = manifests();
    JsonNode flink = kind(docs, "FlinkDeployment");
    JsonNode pod = flink.at("/spec/podTemplate/spec");
    JsonNode main = null;
    for (JsonNode c : pod.path("containers")) {
      if (c.path("name").asText().equals("flink-main-container")) {
        main = c;
      }
    }
    assertTrue("the operator's main container is templated", main != null);
    assertThat(
        envFromSecret(main),
        hasItems("ROLESYNTH_API_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"));
    // The launcher pod and the TaskManagers reach the same bucket with the same Secret.
    JsonNode cron = kind(docs, "CronJob").at("/spec/jobTemplate/spec/template/spec/containers/0");
    assertEquals(secretOf(main, "AWS_SECRET_ACCESS_KEY"), secretOf(cron, "AWS_SECRET_ACCESS_KEY"));
  }

  private static String secretOf(JsonNode container, String variable) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(variable)) {
        return e.at("/valueFrom/secretKeyRef/name").asText();
      }
    }
    throw new AssertionError(variable + " is not set from a Secret");
  }

  @Test
  public void everyOptionTheExamplesPassIsAnOption() throws Exception {
    Set<String> known =
        new HashSet<>(
            Set.of("runner", "flinkMaster", "parallelism", "config", "pipeline", "jobName"));
    for (Class<?> type :
        new Class<?>[] {
          RolesynthOptions.class, org.apache.beam.sdk.io.aws2.options.S3Options.class
        }) {
      for (Method m : type.getMethods()) {
        if (m.getName().startsWith("get")
            && m.getParameterCount() == 0
            && m.getName().length() > 3) {
          known.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
        }
      }
    }
    // and every pipeline's own options
    Launcher.PIPELINES.values().forEach(p -> known.addAll(Knobs.names(p.knobsType())));
    List<String> used = new ArrayList<>();
    for (JsonNode d : manifests()) {
      d.findValues("args").forEach(a -> a.forEach(x -> used.add(x.asText())));
    }
    YAML.readTree(Path.of("configs/nightly.yaml").toFile())
        .fieldNames()
        .forEachRemaining(k -> used.add("--" + k + "="));
    for (String a : used) {
      if (a.startsWith("--")) {
        String name = a.substring(2, a.contains("=") ? a.indexOf('=') : a.length());
        assertTrue(
            "deploy/ or configs/nightly.yaml passes --" + name + ", which is not an option",
            known.contains(name));
      }
    }
    assertTrue(used.size() > 10);
  }
}
