package dev.rolesynth.simschat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.SimsChatCharacter;
import dev.rolesynth.avro.SimsChatDialogue;
import dev.rolesynth.avro.SimsChatLine;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.ChatFormats;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.RecordMapper;
import dev.rolesynth.simschat.SimsChat.Character;
import dev.rolesynth.simschat.SimsChat.Dialogue;
import dev.rolesynth.simschat.SimsChat.Elements;
import dev.rolesynth.simschat.SimsChat.Scene;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Registers SimsChat with the launcher, names its datasets and turns what it made into records. */
@AutoService(RolePipeline.class)
public final class SimsChatPipeline implements RolePipeline<Elements> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final Renderings<SimsChatDialogue> DIALOGUES =
      new Renderings<>(
          SimsChatDialogue.class,
          Map.of(
              "simschat",
              SimsChatPipeline::authors,
              "chat",
              r -> ChatFormats.chat(turns(r)),
              "alpaca",
              r -> ChatFormats.alpaca(turns(r))));
  static final Renderings<SimsChatCharacter> CHARACTERS =
      new Renderings<>(SimsChatCharacter.class, Map.of("json", SimsChatCharacter::toString));

  @Override
  public String name() {
    return SimsChatSettings.PIPELINE;
  }

  @Override
  public Class<? extends RolesynthOptions> optionsType() {
    return SimsChatOptions.class;
  }

  @Override
  public String samplePool() {
    return SimsChatSettings.SAMPLE + "characters.jsonl";
  }

  @Override
  public long expectedCallsPerRecord(RolesynthOptions options) {
    return 3L + options.as(SimsChatOptions.class).getScenesPerCharacter();
  }

  @Override
  public RecordMapper<Elements> mapper(RolesynthOptions options) {
    if (!options.getFieldMap().isBlank()) {
      throw new dev.rolesynth.ConfigException(
          "--fieldMap is not used by simschat: its pool lines are {career, aspiration, traits, skill}");
    }
    return new ElementsMapper();
  }

  @Override
  public Map<String, Renderings<?>> renderings() {
    return Map.of("dialogues", DIALOGUES, "characters", CHARACTERS);
  }

  @Override
  public Plan<Elements> plan(RolesynthOptions options) {
    SimsChatSettings settings = new SimsChatSettings(options.as(SimsChatOptions.class));
    return Plan.of(
        settings,
        (elements, run) -> {
          PCollectionTuple out = elements.apply("SimsChat", new SynthesizeSimsChat(settings, run));
          PCollection<SimsChatDialogue> dialogues =
              out.get(SynthesizeSimsChat.DIALOGUES)
                  .apply(
                      "ToDialogueRecords",
                      MapElements.into(TypeDescriptor.of(SimsChatDialogue.class))
                          .via((Dialogue d) -> dialogue(settings, d, run)))
                  .setCoder(AvroRecordCoder.of(SimsChatDialogue.class));
          PCollection<SimsChatCharacter> characters =
              out.get(SynthesizeSimsChat.CHARACTERS)
                  .apply(
                      "ToCharacterRecords",
                      MapElements.into(TypeDescriptor.of(SimsChatCharacter.class))
                          .via((Character c) -> character(c, run)))
                  .setCoder(AvroRecordCoder.of(SimsChatCharacter.class));
          return new Outputs(
              List.of(
                  new Dataset<>("dialogues", dialogues, DIALOGUES),
                  new Dataset<>("characters", characters, CHARACTERS)),
              out.get(SynthesizeSimsChat.FAILURES));
        });
  }

  static SimsChatDialogue dialogue(SimsChatSettings s, Dialogue d, RunInfo run) {
    Scene sc = d.scene();
    List<SimsChatLine> lines = new ArrayList<>();
    d.lines().forEach(l -> lines.add(new SimsChatLine(l.role(), l.action(), l.content())));
    return new SimsChatDialogue(
        sc.character().elements().id() + "/" + sc.index(),
        sc.character().name(),
        sc.type(),
        d.setting(),
        sc.emotion(),
        sc.topic(),
        sc.location(),
        sc.background(),
        "generated",
        s.render("character.system", Stages.sceneContext(sc)),
        lines,
        run.provenance(sc.origin(), sc.character().elements().warnings(), 4));
  }

  static SimsChatCharacter character(Character c, RunInfo run) {
    Elements e = c.elements();
    return new SimsChatCharacter(
        e.id(),
        c.name(),
        c.age(),
        e.career(),
        e.aspiration(),
        e.traits(),
        e.skill(),
        c.personal(),
        c.social(),
        c.profile(),
        run.provenance(c.origin(), e.warnings(), 2));
  }

  /**
   * The dialogue as SFT turns, the character as the assistant: its lines (spoken and thought,
   * marked) one assistant turn, the others' lines, named, the user's; turns after the character's
   * last are left out.
   */
  static List<ChatTurn> turns(SimsChatDialogue r) {
    List<ChatTurn> out = new ArrayList<>();
    out.add(new ChatTurn("system", r.getSystem()));
    for (SimsChatLine l : r.getDialogue()) {
      boolean mine = Stages.isCharacter(l.getRole(), r.getCharacter());
      String role = mine ? "assistant" : "user";
      String text =
          mine ? l.getAction() + " " + l.getContent() : l.getRole() + ": " + l.getContent();
      ChatTurn last = out.get(out.size() - 1);
      if (last.getRole().equals(role)) {
        out.set(out.size() - 1, new ChatTurn(role, last.getContent() + "\n" + text));
      } else {
        out.add(new ChatTurn(role, text));
      }
    }
    while (out.get(out.size() - 1).getRole().equals("user")) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /**
   * The authors' record: {@code {setting, emotion, topic, dialogue: [{role, action, content}],
   * location, background, source}}.
   */
  static String authors(SimsChatDialogue r) {
    ObjectNode o =
        MAPPER
            .createObjectNode()
            .put("setting", r.getSetting())
            .put("emotion", r.getEmotion())
            .put("topic", r.getTopic());
    ArrayNode a = o.putArray("dialogue");
    r.getDialogue()
        .forEach(
            l ->
                a.addObject()
                    .put("role", l.getRole())
                    .put("action", l.getAction())
                    .put("content", l.getContent()));
    return o.put("location", r.getLocation())
        .put("background", r.getBackground())
        .put("source", r.getSource())
        .toString();
  }
}
