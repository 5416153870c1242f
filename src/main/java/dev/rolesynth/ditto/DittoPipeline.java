package dev.rolesynth.ditto;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.service.AutoService;
import dev.rolesynth.avro.DittoDialogue;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.ChatFormats;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pool.RecordMapper;
import dev.rolesynth.pool.Role;
import dev.rolesynth.pool.RoleMapper;
import java.util.List;
import java.util.Map;

/** Registers Ditto with the launcher. */
@AutoService(RolePipeline.class)
public final class DittoPipeline implements RolePipeline<Role> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static final Renderings<DittoDialogue> DIALOGUES =
      new Renderings<>(DittoDialogue.class, Map.of("chat", DittoPipeline::chatJsonl));

  @Override
  public Map<String, Renderings<?>> renderings() {
    return Map.of("dialogues", DIALOGUES);
  }

  /**
   * Card, queries, the contrastive check, one call a turn, and each judge's samples on every turn
   * it judges.
   */
  @Override
  public long expectedCallsPerRecord(RolesynthOptions options) {
    DittoOptions o = options.as(DittoOptions.class);
    int turns = o.getQueriesPerRole();
    int contrastive = (int) Math.round(turns * o.getContrastiveRatio());
    long judges =
        o.getJudge() ? (long) o.getJudgeSamples() * (2L * turns + (turns - contrastive)) : 0;
    return 2 + (o.getCheckContrastive() ? 1 : 0) + turns + judges;
  }

  @Override
  public String name() {
    return DittoSettings.PIPELINE;
  }

  @Override
  public Class<? extends RolesynthOptions> optionsType() {
    return DittoOptions.class;
  }

  @Override
  public String samplePool() {
    return "pipelines/ditto/sample/roles.jsonl";
  }

  @Override
  public RecordMapper<Role> mapper(RolesynthOptions options) {
    return new RoleMapper(
        RoleMapper.parseFieldMap(options.getFieldMap()), options.getMaxFieldChars());
  }

  @Override
  public Plan<Role> plan(RolesynthOptions options) {
    DittoOptions o = options.as(DittoOptions.class);
    DittoSettings settings =
        new DittoSettings(
                o.getSeed(),
                o.getQueriesPerRole(),
                o.getContrastiveRatio(),
                o.getContrastiveSources(),
                o.getJudge(),
                o.getMinKnowledgeScore(),
                o.getMinTurns(),
                o.getPromptDir())
            .faithful(o.getProfileTokens(), o.getJudgeSamples(), o.getCheckContrastive());
    return Plan.of(
        settings,
        (roles, run) -> {
          var dialogues = roles.apply("Ditto", new SynthesizeDittoDialogues(settings, run));
          return new Outputs(
              List.of(new Dataset<>("dialogues", dialogues.output(), DIALOGUES)),
              dialogues.failures());
        });
  }

  /** OpenAI chat fine-tuning format: one {"messages": [...]} a line. */
  static String chatJsonl(DittoDialogue d) {
    return ChatFormats.chat(d.getMessages());
  }
}
