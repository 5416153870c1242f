package dev.rolesynth.characterchat;

import com.google.auto.service.AutoService;
import dev.rolesynth.avro.CharacterChatDialogue;
import dev.rolesynth.avro.CharacterChatProfile;
import dev.rolesynth.avro.CharacterChatSide;
import dev.rolesynth.characterchat.CharacterChat.MbtiType;
import dev.rolesynth.characterchat.CharacterChat.Person;
import dev.rolesynth.characterchat.CharacterChat.Scored;
import dev.rolesynth.characterchat.CharacterChat.Slot;
import dev.rolesynth.characterchat.CharacterChat.Talk;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.AvroRecords;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.EachWithEveryone;
import dev.rolesynth.pipeline.FanOut;
import dev.rolesynth.pipeline.JqForm;
import dev.rolesynth.pipeline.Recipe;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pipeline.Settings;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.beam.sdk.values.PCollection;

/** CharacterChat as a recipe: its datasets, its graph, and what it made as records. */
@AutoService(RolePipeline.class)
public final class CharacterChatPipeline extends Recipe<MbtiType, Settings<CharacterChatKnobs>> {
  static final Renderings<CharacterChatDialogue> DIALOGUES =
      Renderings.of(CharacterChatDialogue.class)
          .with("characterchat", form("dialogue.jq"))
          .with("supporter", form("speaking.jq").with("who", CharacterChat.SUPPORTER))
          .with("seeker", form("speaking.jq").with("who", CharacterChat.SEEKER))
          .with("supporter_prompted", form("prompted.jq").with("who", CharacterChat.SUPPORTER))
          .with("seeker_prompted", form("prompted.jq").with("who", CharacterChat.SEEKER))
          .with("selector", AuthorsForms::selector)
          .with("chat", form("turns.jq").then("chat"))
          .with("alpaca", form("turns.jq").then("alpaca"));
  static final Renderings<CharacterChatProfile> PROFILES =
      Renderings.of(CharacterChatProfile.class)
          .with("json", CharacterChatProfile::toString)
          .with("characterchat", form("profile.jq"));

  /** A form of the authors' data (forms/), their profile fields' order bound as {@code $fields}. */
  private static JqForm form(String name) {
    return JqForm.of(CharacterChat.PIPELINE, name).with("fields", CharacterChat.FIELDS);
  }

  public CharacterChatPipeline() {
    super(CharacterChat.PIPELINE, "mbti.jsonl");
    settledBy(CharacterChatKnobs.class);
    reads(options -> new MbtiMapper());
    refusesFieldMap("its pool lines are {\"mbti\": \"INFP\"}");
    dataset("dialogues", DIALOGUES);
    dataset("profiles", PROFILES);
  }

  @Override
  public long expectedCallsPerRecord(RolesynthOptions options) {
    CharacterChatKnobs o = knobs(options, CharacterChatKnobs.class);
    // about 16 calls per profile (10 of them rewrites); per dialogue 2 for the tone and about 2
    // per supporter and 3 per seeker utterance, most closing near 13.
    return o.profilesPerType()
        * (16L + o.supportersPerSeeker() * (32L + (o.scoreDialogues() ? 1 : 0)));
  }

  /**
   * CharacterChat (docs/pipelines/characterchat.md): profiles per MBTI type, invented from its
   * description and expanded in the same chat, stated as seeker and as supporter, their long fields
   * and additional information in the second person; each person as a seeker with supporters drawn
   * by the seed; tone examples for both; the dialogues taken turn by turn until the stop rule
   * closes them; each finished dialogue scored.
   */
  @Override
  protected void build(PCollection<MbtiType> types, Settings<CharacterChatKnobs> s, Build b) {
    var slots =
        types.apply(
            "PlanProfiles",
            FanOut.into(
                Slot.class,
                t ->
                    IntStream.rangeClosed(1, s.opt.profilesPerType())
                        .mapToObj(i -> new Slot(t, i))
                        .toList()));
    var invented = b.call("InventProfiles", slots, ProfileStages.invent(s), Person.class);
    var expanded = b.call("ExpandProfiles", invented, ProfileStages.expand(s), Person.class);
    var seekers = b.call("StateAsSeekers", expanded, ProfileStages.stateAsSeeker(s), Person.class);
    var stated =
        b.call("StateAsSupporters", seekers, ProfileStages.stateAsSupporter(s), Person.class);
    var rewritten = b.call("RewriteLongFields", stated, ProfileStages.rewrite(s), Person.class);
    var informed =
        b.call(
            "WriteAdditionalInformation",
            rewritten,
            ProfileStages.writeAdditional(s),
            Person.class);
    var people =
        b.call(
            "RewriteAdditionalInformation",
            informed,
            ProfileStages.rewriteAdditional(s),
            Person.class);
    var pairs =
        b.collect(
            people.apply(
                "MatchSupporters",
                EachWithEveryone.of(
                    Talk.class,
                    (seeker, all, out) ->
                        MatchSupporters.draw(
                            seeker, all, s.opt.supportersPerSeeker(), s.seed, out))));
    var toned = b.call("WriteToneExamples", pairs, Stages.tone(s), Talk.class);
    var talks = b.step("TakeTurns", toned, in -> TakeTurns.expand(in, s, b));
    var scored =
        s.opt.scoreDialogues()
            ? b.call("ScoreDialogues", talks, Stages.score(s), Scored.class)
            : b.map("Unscored", talks, Scored.class, t -> new Scored(t, 0, 0, 0, "", t.llmCalls()));
    RunInfo run = b.run();
    b.write("dialogues", scored, d -> dialogue(s, d, run));
    b.write("profiles", people, p -> profile(p, run));
  }

  static CharacterChatDialogue dialogue(Settings<CharacterChatKnobs> s, Scored d, RunInfo run) {
    Talk t = d.talk();
    String system =
        s.render(
            "supporter.system",
            Map.of("statement", t.supporter().supporterStatement(), "examples", t.supporterTone()));
    return AvroRecords.from(d)
        .with("id", t.key())
        .with("seeker", side(t.seeker(), t.seeker().seekerStatement(), t.seekerTone()))
        .with(
            "supporter", side(t.supporter(), t.supporter().supporterStatement(), t.supporterTone()))
        .with("system", system)
        .with("closed", t.stopRule())
        .with("scoreReason", d.reason())
        .with("provenance", run.provenance(t, d.llmCalls()))
        .as(CharacterChatDialogue.class);
  }

  private static CharacterChatSide side(Person p, String statement, String tone) {
    return new CharacterChatSide(
        p.key(), p.slot().type().mbti(), p.published(), p.trans(), statement, tone);
  }

  static CharacterChatProfile profile(Person p, RunInfo run) {
    return AvroRecords.from(p)
        .with("id", p.key())
        .with("filledProfile", p.filled())
        .with("profileTrans", p.trans())
        .with("additionalInformation", p.additional())
        .with("rewritten", List.copyOf(p.rewritten().keySet()))
        .with("provenance", run.provenance(p, p.llmCalls()))
        .as(CharacterChatProfile.class);
  }
}
