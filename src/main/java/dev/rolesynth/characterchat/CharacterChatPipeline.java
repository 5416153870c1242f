package dev.rolesynth.characterchat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.avro.CharacterChatDialogue;
import dev.rolesynth.avro.CharacterChatProfile;
import dev.rolesynth.avro.CharacterChatUtterance;
import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.characterchat.CharacterChat.MbtiType;
import dev.rolesynth.characterchat.CharacterChat.Person;
import dev.rolesynth.characterchat.CharacterChat.Scored;
import dev.rolesynth.characterchat.CharacterChat.Talk;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.ChatFormats;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.RecordMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Registers CharacterChat with the launcher, names its datasets and turns what it made into
 * records.
 */
@AutoService(RolePipeline.class)
public final class CharacterChatPipeline implements RolePipeline<MbtiType> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
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

  @Override
  public String name() {
    return CharacterChatSettings.PIPELINE;
  }

  @Override
  public Class<? extends RolesynthOptions> optionsType() {
    return CharacterChatOptions.class;
  }

  @Override
  public String samplePool() {
    return CharacterChatSettings.SAMPLE + "mbti.jsonl";
  }

  @Override
  public long expectedCallsPerRecord(RolesynthOptions options) {
    CharacterChatOptions o = options.as(CharacterChatOptions.class);
    // 4 calls per profile; per dialogue about 2 per supporter and 3 per seeker utterance, most
    // closing near 12.
    return o.getProfilesPerType()
        * (4L + o.getSupportersPerSeeker() * (30L + (o.getScoreDialogues() ? 1 : 0)));
  }

  @Override
  public RecordMapper<MbtiType> mapper(RolesynthOptions options) {
    if (!options.getFieldMap().isBlank()) {
      throw new dev.rolesynth.ConfigException(
          "--fieldMap is not used by characterchat: its pool lines are {\"mbti\": \"INFP\"}");
    }
    return new MbtiMapper();
  }

  @Override
  public Map<String, Renderings<?>> renderings() {
    return Map.of("dialogues", DIALOGUES, "profiles", PROFILES);
  }

  @Override
  public Plan<MbtiType> plan(RolesynthOptions options) {
    CharacterChatSettings settings =
        new CharacterChatSettings(options.as(CharacterChatOptions.class));
    return Plan.of(
        settings,
        (types, run) -> {
          PCollectionTuple out =
              types.apply("CharacterChat", new SynthesizeCharacterChat(settings, run));
          PCollection<CharacterChatDialogue> dialogues =
              out.get(SynthesizeCharacterChat.DIALOGUES)
                  .apply(
                      "ToDialogueRecords",
                      MapElements.into(TypeDescriptor.of(CharacterChatDialogue.class))
                          .via((Scored d) -> dialogue(settings, d, run)))
                  .setCoder(AvroRecordCoder.of(CharacterChatDialogue.class));
          PCollection<CharacterChatProfile> profiles =
              out.get(SynthesizeCharacterChat.PROFILES)
                  .apply(
                      "ToProfileRecords",
                      MapElements.into(TypeDescriptor.of(CharacterChatProfile.class))
                          .via((Person p) -> profile(p, run)))
                  .setCoder(AvroRecordCoder.of(CharacterChatProfile.class));
          return new Outputs(
              List.of(
                  new Dataset<>("dialogues", dialogues, DIALOGUES),
                  new Dataset<>("profiles", profiles, PROFILES)),
              out.get(SynthesizeCharacterChat.FAILURES));
        });
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
    int calls =
        4
            + 4
            + t.dial().size() * 2
            + t.sentiments().size()
            - (t.dial().size() >= 3 ? 1 : 0)
            + (s.score ? 1 : 0);
    return new CharacterChatDialogue(
        t.key(),
        t.seeker().seekerInfo(),
        t.supporter().supporterInfo(),
        t.seeker().name(),
        t.supporter().name(),
        s.render("supporter.system", Map.of("statement", t.supporter().supporterInfo())),
        dial,
        t.sentiments(),
        t.closing(),
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

  /**
   * The authors' record: {@code {index, seeker_info, supporter_info, dial: [{turn, speaker,
   * choose_info, utterance}]}}.
   */
  static String authors(CharacterChatDialogue r) {
    ObjectNode o =
        MAPPER
            .createObjectNode()
            .put("index", r.getId())
            .put("seeker_info", r.getSeekerInfo())
            .put("supporter_info", r.getSupporterInfo());
    ArrayNode dial = o.putArray("dial");
    r.getDial()
        .forEach(
            u -> {
              ObjectNode n =
                  dial.addObject().put("turn", u.getTurn()).put("speaker", u.getSpeaker());
              n.putObject("choose_info")
                  .put("aspect", u.getAspect())
                  .put("content", u.getContent());
              n.put("utterance", u.getUtterance());
            });
    return o.toString();
  }
}
