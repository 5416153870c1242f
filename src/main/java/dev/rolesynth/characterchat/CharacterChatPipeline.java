package dev.rolesynth.characterchat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.google.auto.service.AutoService;
import dev.rolesynth.avro.CharacterChatDialogue;
import dev.rolesynth.avro.CharacterChatProfile;
import dev.rolesynth.avro.CharacterChatUtterance;
import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.characterchat.CharacterChat.MbtiType;
import dev.rolesynth.characterchat.CharacterChat.Person;
import dev.rolesynth.characterchat.CharacterChat.Scored;
import dev.rolesynth.characterchat.CharacterChat.Slot;
import dev.rolesynth.characterchat.CharacterChat.Talk;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.ChatFormats;
import dev.rolesynth.pipeline.FanOut;
import dev.rolesynth.pipeline.Recipe;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.RecordMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.beam.sdk.values.PCollection;

/** CharacterChat as a recipe: its datasets, its graph, and what it made as records. */
@AutoService(RolePipeline.class)
public final class CharacterChatPipeline extends Recipe<MbtiType, CharacterChatSettings> {
  static final Renderings<CharacterChatDialogue> DIALOGUES =
      new Renderings<>(
          CharacterChatDialogue.class,
          Map.of(
              "characterchat",
              CharacterChatPipeline::authors,
              "chat",
              r -> ChatFormats.chat(turns(r)),
              "alpaca",
              r -> ChatFormats.alpaca(turns(r))));
  static final Renderings<CharacterChatProfile> PROFILES =
      new Renderings<>(CharacterChatProfile.class, Map.of("json", CharacterChatProfile::toString));

  public CharacterChatPipeline() {
    super(CharacterChatSettings.PIPELINE, CharacterChatOptions.class, "mbti.jsonl");
    refusesFieldMap("its pool lines are {\"mbti\": \"INFP\"}");
    dataset("dialogues", DIALOGUES);
    dataset("profiles", PROFILES);
  }

  @Override
  public long expectedCallsPerRecord(RolesynthOptions options) {
    CharacterChatOptions o = options.as(CharacterChatOptions.class);
    // 4 calls per profile; per dialogue about 2 per supporter and 3 per seeker utterance, most
    // closing near 13.
    return o.getProfilesPerType()
        * (4L + o.getSupportersPerSeeker() * (30L + (o.getScoreDialogues() ? 1 : 0)));
  }

  @Override
  protected CharacterChatSettings settings(RolesynthOptions options) {
    return new CharacterChatSettings(options.as(CharacterChatOptions.class));
  }

  @Override
  protected RecordMapper<MbtiType> pool(RolesynthOptions options) {
    return new MbtiMapper();
  }

  /**
   * CharacterChat (docs/pipelines/characterchat.md): profiles per MBTI type, filled, expanded and
   * rewritten in the second person, with tone examples; each person as a seeker with supporters
   * drawn by the seed; the dialogues taken turn by turn until the stop rule closes them; each
   * finished dialogue scored.
   */
  @Override
  protected void build(PCollection<MbtiType> types, CharacterChatSettings s, Build b) {
    var slots =
        types.apply(
            "PlanProfiles",
            FanOut.into(
                Slot.class,
                t ->
                    IntStream.rangeClosed(1, s.profilesPerType)
                        .mapToObj(i -> new Slot(t, i))
                        .toList()));
    var filled = b.call("FillProfiles", slots, Stages.profile(s), Person.class);
    var expanded = b.call("ExpandProfiles", filled, Stages.expand(s), Person.class);
    var second = b.call("InTheSecondPerson", expanded, Stages.transform(s), Person.class);
    var people = b.call("WriteToneExamples", second, Stages.tone(s), Person.class);
    var pairs =
        b.collect(
            people.apply("MatchSupporters", new MatchSupporters(s.supportersPerSeeker, s.seed)));
    var talks = pairs.apply("TakeTurns", new TakeTurns(s, b));
    var scored =
        s.score
            ? b.call("ScoreDialogues", talks, Stages.score(s), Scored.class)
            : b.map("Unscored", talks, Scored.class, t -> new Scored(t, 0, 0, 0, ""));
    RunInfo run = b.run();
    b.write("dialogues", scored, d -> dialogue(s, d, run));
    b.write("profiles", people, p -> profile(p, run));
  }

  static CharacterChatDialogue dialogue(CharacterChatSettings s, Scored d, RunInfo run) {
    Talk t = d.talk();
    List<CharacterChatUtterance> dial = new ArrayList<>();
    t.dial()
        .forEach(
            u ->
                dial.add(
                    new CharacterChatUtterance(
                        u.turn(), u.speaker(), u.aspect(), u.content(), u.utterance())));
    // both profiles' 4 calls; a reply per utterance but the Hello, an aspect chosen for each but
    // the Hello, the worry and the two goodbyes; the sentiments; the score
    int n = t.dial().size();
    int calls = 4 + 4 + (n - 1) + Math.max(0, n - 4) + t.sentiments().size() + (s.score ? 1 : 0);
    return new CharacterChatDialogue(
        t.key(),
        t.seeker().seekerInfo(),
        t.supporter().supporterInfo(),
        t.seeker().name(),
        t.supporter().name(),
        s.render("supporter.system", Map.of("statement", t.supporter().supporterInfo())),
        dial,
        t.sentiments(),
        t.stopRule(),
        d.mood(),
        d.usefulness(),
        d.engagement(),
        d.reason(),
        run.provenance(t.origin(), t.seeker().slot().type().warnings(), calls));
  }

  static CharacterChatProfile profile(Person p, RunInfo run) {
    return new CharacterChatProfile(
        p.key(),
        p.slot().index(),
        p.slot().type().mbti(),
        p.profile(),
        p.filled(),
        p.second(),
        p.seekerInfo(),
        p.supporterInfo(),
        p.additional(),
        run.provenance(p.origin(), p.slot().type().warnings(), 4));
  }

  /**
   * The dialogue as SFT turns: the supporter is the assistant, the seeker the user; a last seeker
   * utterance is left out.
   */
  static List<ChatTurn> turns(CharacterChatDialogue r) {
    List<ChatTurn> out = new ArrayList<>();
    out.add(new ChatTurn("system", r.getSystem()));
    r.getDial()
        .forEach(
            u ->
                out.add(
                    new ChatTurn(
                        u.getSpeaker().equals(CharacterChat.SEEKER) ? "user" : "assistant",
                        u.getUtterance())));
    while (out.get(out.size() - 1).getRole().equals("user")) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /** The authors' record, its fields in their order and with their names. */
  record Authors(
      String index,
      @JsonProperty("seeker_info") String seekerInfo,
      @JsonProperty("supporter_info") String supporterInfo,
      List<AuthorsTurn> dial) {}

  record AuthorsTurn(
      int turn, String speaker, @JsonProperty("choose_info") Choice chooseInfo, String utterance) {}

  record Choice(String aspect, String content) {}

  static String authors(CharacterChatDialogue r) {
    List<AuthorsTurn> dial = new ArrayList<>();
    for (CharacterChatUtterance u : r.getDial()) {
      Choice c = new Choice(u.getAspect(), u.getContent());
      dial.add(new AuthorsTurn(u.getTurn(), u.getSpeaker(), c, u.getUtterance()));
    }
    return Answers.json(new Authors(r.getId(), r.getSeekerInfo(), r.getSupporterInfo(), dial))
        .toString();
  }
}
