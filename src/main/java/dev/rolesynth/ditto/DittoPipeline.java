package dev.rolesynth.ditto;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.service.AutoService;
import dev.rolesynth.avro.DittoDialogue;
import dev.rolesynth.ditto.AssembleDialogues.Assembled;
import dev.rolesynth.ditto.Ditto.Conversation;
import dev.rolesynth.ditto.Ditto.QuerySet;
import dev.rolesynth.ditto.Ditto.Turn;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.Chain;
import dev.rolesynth.pipeline.ChatFormats;
import dev.rolesynth.pipeline.EachOrFail;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.GroupByKeys;
import dev.rolesynth.pipeline.Recipe;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.Role;
import dev.rolesynth.pool.RoleMapper;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollection;

/** Registers Ditto with the launcher. */
@AutoService(RolePipeline.class)
public final class DittoPipeline extends Recipe<Role, DittoSettings> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static final Renderings<DittoDialogue> DIALOGUES =
      Renderings.of(DittoDialogue.class).with("chat", DittoPipeline::chatJsonl);

  public DittoPipeline() {
    super(DittoSettings.PIPELINE, "roles.jsonl");
    settledBy(DittoKnobs.class, DittoSettings::new);
    reads(
        options ->
            new RoleMapper(
                RoleMapper.parseFieldMap(options.getFieldMap()), options.getMaxFieldChars()));
    dataset("dialogues", DIALOGUES);
  }

  /**
   * Card, queries, the contrastive check, one call a turn, and each judge's samples on every turn
   * it judges.
   */
  @Override
  public long expectedCallsPerRecord(RolesynthOptions options) {
    DittoKnobs o = knobs(options, DittoKnobs.class);
    int turns = o.queriesPerRole();
    int contrastive = (int) Math.round(turns * o.contrastiveRatio());
    long judges = o.judge() ? (long) o.judgeSamples() * (2L * turns + (turns - contrastive)) : 0;
    return 2 + (o.checkContrastive() ? 1 : 0) + turns + judges;
  }

  /**
   * Ditto (docs/pipelines/ditto.md): roles in, self-aligned role-play dialogues out.
   *
   * <ol>
   *   <li>build each role's knowledge card and short system prompt;
   *   <li>simulate questions: in-knowledge ones from the card, contrastive ones from other roles'
   *       profiles;
   *   <li>simulate in-role answers with the card injected as reading material, declining past it;
   *   <li>optionally judge each turn (identity among 4 candidates, refusal, knowledge) and filter;
   *   <li>drop the injected knowledge and assemble the system prompt plus the dialogue.
   * </ol>
   *
   * Every role ends as a dialogue or a failure; a turn whose call fails or whose judges reject it
   * is dropped from its dialogue and counted in {@code droppedTurns}.
   */
  @Override
  protected void build(PCollection<Role> roles, DittoSettings s, Build b) {
    // Each role goes through its card, its questions, the check of its contrastive ones and its
    // answers, turn by turn, as one chain: its next call goes out the moment its last one is done.
    var conversations =
        roles
            .apply("PickOthers", new PickOthers(s))
            .apply(
                "CardQuestionsAnswers",
                b.run()
                    .chain(
                        Chain.of(DittoTasks.cardFor(s))
                            .then(DittoTasks.queries(s))
                            .thenIf(CheckContrastive.needed(s), CheckContrastive.stage(s))
                            .thenMap(AnswerTurnByTurn.start(s.seed))
                            .thenIf(c -> !c.finished(), DittoTasks.answerTurn(s)),
                        Conversation.class));
    var turns =
        b.flatMap("TurnsOfDialogues", conversations.output(), Turn.class, Conversation::turns);
    var plans =
        b.map("PlansOfDialogues", conversations.output(), QuerySet.class, Conversation::plan);
    // A failed answer drops its turn (the dialogue goes on); a failed card, question set or check
    // drops the role. Dropped turns are counted into their dialogues, not dead letters of the run.
    b.failures(
        conversations
            .failures()
            .apply("FailedRoles", Filter.by(f -> !f.stage().equals(DittoTasks.ANSWER))));
    Build dropped = b.apart();
    dropped.failures(
        conversations
            .failures()
            .apply("FailedTurns", Filter.by(f -> f.stage().equals(DittoTasks.ANSWER))));
    if (s.opt.judge()) {
      turns = b.step("JudgeTurns", turns, in -> JudgeTurns.expand(in, s, dropped));
    }
    var byRole =
        GroupByKeys.named("JoinByRole")
            .with(plans, q -> q.card().id(), QuerySet.class)
            .with(turns, t -> t.query().card().id(), Turn.class)
            .with(dropped.collected("FlattenDroppedTurns"), Failure::recordId, Failure.class)
            .group();
    var assembled =
        b.collect(
            byRole.apply(
                "AssembleDialogues",
                EachOrFail.of(
                    Assembled.class,
                    (role, none, out) -> AssembleDialogues.assemble(s, role, out))));
    RunInfo run = b.run();
    b.write("dialogues", assembled, a -> AssembleDialogues.build(a.plan(), a.turns(), s, run));
  }

  /** OpenAI chat fine-tuning format: one {"messages": [...]} a line. */
  static String chatJsonl(DittoDialogue d) {
    return ChatFormats.chat(d.getMessages());
  }
}
