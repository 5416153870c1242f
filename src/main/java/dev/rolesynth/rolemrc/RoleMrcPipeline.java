package dev.rolesynth.rolemrc;

import com.google.auto.service.AutoService;
import dev.rolesynth.avro.MrcMatch;
import dev.rolesynth.avro.RoleMrcConversation;
import dev.rolesynth.avro.RoleMrcPreference;
import dev.rolesynth.avro.RoleMrcProfile;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.AvroRecords;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.ChatFormats;
import dev.rolesynth.pipeline.DistinctNames;
import dev.rolesynth.pipeline.FanOut;
import dev.rolesynth.pipeline.JoinById;
import dev.rolesynth.pipeline.JqForm;
import dev.rolesynth.pipeline.MatchByRelevance;
import dev.rolesynth.pipeline.ReadPool;
import dev.rolesynth.pipeline.Recipe;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.MrcItem;
import dev.rolesynth.pool.TextPersona;
import dev.rolesynth.rolemrc.RoleMrc.Made;
import dev.rolesynth.rolemrc.RoleMrc.Match;
import dev.rolesynth.rolemrc.RoleMrc.Matched;
import dev.rolesynth.rolemrc.RoleMrc.Profile;
import dev.rolesynth.rolemrc.RoleMrc.Task;
import dev.rolesynth.rolemrc.TaskMix.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/** RoleMRC as a recipe: its datasets, its graph, and the authors' record forms. */
@AutoService(RolePipeline.class)
public final class RoleMrcPipeline extends Recipe<TextPersona, RoleMrcSettings> {
  static final Renderings<RoleMrcConversation> SFT =
      Renderings.of(RoleMrcConversation.class)
          .with("chat", r -> ChatFormats.chat(r.getConversations()))
          .with("rolemrc", JqForm.of(RoleMrcSettings.PIPELINE, "sft.jq"));
  static final Renderings<RoleMrcPreference> DPO =
      Renderings.of(RoleMrcPreference.class)
          .with("trl", r -> ChatFormats.trl(r.getPrompt(), r.getChosen(), r.getRejected()))
          .with(
              "llamafactory",
              r -> ChatFormats.shareGptPreference(r.getPrompt(), r.getChosen(), r.getRejected()))
          .with("rolemrc", JqForm.of(RoleMrcSettings.PIPELINE, "dpo.jq"));
  static final Renderings<RoleMrcProfile> META =
      Renderings.of(RoleMrcProfile.class).with("json", RoleMrcProfile::toString);

  public RoleMrcPipeline() {
    super(RoleMrcSettings.PIPELINE, "personas.jsonl");
    settledBy(RoleMrcKnobs.class, RoleMrcSettings::new);
    reads(options -> new TextPersona.Mapper());
    refusesFieldMap("personas are read as PersonaHub has them");
    dataset("sft", SFT);
    dataset("dpo", DPO);
    dataset("meta", META);
  }

  @Override
  public long expectedCallsPerRecord(RolesynthOptions options) {
    RoleMrcKnobs o = knobs(options, RoleMrcKnobs.class);
    // 1 + 2 + 2 (+ 1 nested) for every task; the authors' mix draws about half of them
    return !o.taskMix().equals("all") ? 3 : o.ruledTasks() ? 6 : 5;
  }

  /**
   * RoleMRC (docs/pipelines/rolemrc.md): each persona becomes a seven-section profile; BM25 picks
   * its most and least relevant MRC items; the role then holds a free and an on-scene chat and
   * answers and declines both items' questions in its style; the ruled tasks rewrite an answer
   * under a format rule, flip the required behaviour in a second turn, or put a system rule above
   * the user. What the calls made for a persona is joined by its id into SFT conversations and DPO
   * pairs.
   */
  @Override
  protected void build(PCollection<TextPersona> personas, RoleMrcSettings s, Build b) {
    var items =
        b.collect(
            personas
                .getPipeline()
                .apply(
                    "ReadMrcPool",
                    ReadPool.from(s.passages, "auto", new MrcItem.Mapper(), 0)
                        .countedAs("passages")));
    var profiles =
        DistinctNames.name(
            b,
            "WriteProfiles",
            personas,
            Stages.profile(s),
            Profile.class,
            Profile::name,
            Profile::persona);
    var matched =
        b.collect(
            profiles.apply(
                "MatchPassages",
                new MatchByRelevance<>(
                    items,
                    Matched.class,
                    new MatchByRelevance.Ranking<Profile, MrcItem, Matched>(
                        MrcItem::id,
                        i -> i.query() + "\n" + String.join("\n", i.passages()),
                        Profile::knowledge,
                        (p, most, ms, least, ls) ->
                            new Matched(p, new Match(most, ms), new Match(least, ls)),
                        "match",
                        "the MRC pool (--passages)"))));
    var chats =
        b.call(
            "WriteChats",
            matched.apply("PlanChats", FanOut.into(Task.class, m -> tasks(s, m, "free", "scene"))),
            Stages.chat(s, "rolemrc_chat"),
            Made.class);
    var answers =
        b.call(
            "AnswerAndDecline",
            matched.apply(
                "PlanQuestions", FanOut.into(Task.class, m -> tasks(s, m, "most", "least"))),
            Stages.mrc(s),
            Made.class);
    var ruled =
        b.call(
            "RewriteUnderRules",
            answers.apply(
                "PlanRuledAnswers",
                FanOut.into(Made.class, m -> nested(s, m) ? List.of(m) : List.of())),
            Stages.nested(s),
            Made.class);
    var roles =
        PCollectionList.of(chats)
            .and(answers)
            .and(ruled)
            .apply("JoinByRole", JoinById.of(Made.class));
    RunInfo run = b.run();
    BuildRecords records = new BuildRecords(s, run);
    b.writeEach(roles, r -> records.build(r).all(), "sft", "dpo");
    b.write("meta", matched, m -> meta(m, run));
  }

  /** The calls a role's drawn tasks need (TaskMix), of the given kinds. */
  private static List<Task> tasks(RoleMrcSettings s, Matched m, String... kinds) {
    Set<Kind> mix = TaskMix.draw(s, m);
    List<Task> out = new ArrayList<>();
    for (String kind : kinds) {
      boolean wanted =
          switch (kind) {
            case "free" -> mix.contains(Kind.FREE);
            case "scene" -> mix.contains(Kind.SCENE);
            case "most" -> TaskMix.needsMost(mix);
            default -> TaskMix.needsLeast(mix);
          };
      if (wanted) {
        out.add(
            new Task(
                m,
                kind,
                s.narrated(m.id(), kind),
                s.roleFirst(m.id(), kind),
                m.profile().llmCalls()));
      }
    }
    return out;
  }

  /** The nested task rewrites the answer to the most relevant item, where the role drew it. */
  private static boolean nested(RoleMrcSettings s, Made m) {
    return m.kind().equals("most") && TaskMix.draw(s, m.task().m()).contains(Kind.NESTED);
  }

  static RoleMrcProfile meta(Matched m, RunInfo run) {
    Profile p = m.profile();
    return AvroRecords.from(p)
        .with("persona", p.persona().text())
        .with("mostRelevant", match(m.most()))
        .with("leastRelevant", match(m.least()))
        .with("provenance", run.provenance(p, p.llmCalls()))
        .as(RoleMrcProfile.class);
  }

  private static MrcMatch match(Match m) {
    return new MrcMatch(
        m.item().id(),
        m.item().query(),
        m.item().passages(),
        m.item().answerable() ? m.item().answer() : MrcItem.NO_ANSWER,
        m.score());
  }
}
