package dev.rolesynth.orca;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Orca's knobs, templates and stage schemas, checked before any call. */
public final class OrcaSettings extends PipelineSettings {
  public static final String PIPELINE = "orca";

  /** The method's own options. */
  final OrcaKnobs opt;

  /** --minPostsPerUser, or lower for the shipped sample ({@link OrcaPipeline}). */
  final int minPostsPerUser;

  final boolean psit;

  OrcaSettings(RolesynthOptions o, OrcaKnobs opt, int minPostsPerUser) {
    super(PromptBook.load(PIPELINE, o.getPromptDir()), o.getSeed());
    this.opt = opt;
    this.minPostsPerUser = minPostsPerUser;
    this.psit = opt.variant().equals("psit");
    checkBigFiveSchema(schema("bigfive"));
  }

  /** The scoring schema and the aggregation must agree on the 30 sub-dimensions, in order. */
  private static void checkBigFiveSchema(JsonNode schema) {
    for (Map.Entry<String, List<String>> t : BigFive.FACETS.entrySet()) {
      JsonNode props = schema.at("/properties/" + t.getKey() + "/properties");
      List<String> names = new ArrayList<>();
      props.fieldNames().forEachRemaining(names::add);
      if (!names.equals(t.getValue())) {
        throw new ConfigException(
            "schemas/orca/bigfive.schema.json: "
                + t.getKey()
                + " must list "
                + t.getValue()
                + " in that order, found "
                + names);
      }
    }
  }
}
