package dev.rolesynth.rolemrc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.MrcMatch;
import dev.rolesynth.avro.RoleMrcConversation;
import dev.rolesynth.avro.RoleMrcPreference;
import dev.rolesynth.avro.RoleMrcProfile;
import dev.rolesynth.options.RoleMrcOptions;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.RecordMapper;
import dev.rolesynth.rolemrc.RoleMrc.Match;
import dev.rolesynth.rolemrc.RoleMrc.Matched;
import dev.rolesynth.rolemrc.RoleMrc.Persona;
import dev.rolesynth.rolemrc.RoleMrc.Profile;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Registers RoleMRC with the launcher and names its datasets and their renderings. */
public final class RoleMrcPipeline implements RolePipeline<Persona> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final Renderings<RoleMrcConversation> SFT = new Renderings<>(RoleMrcConversation.class,
      Map.of("chat", r -> MAPPER.createObjectNode().set("messages", turns(r.getConversations(), false)).toString(),
          "rolemrc", r -> MAPPER.createObjectNode().set("conversations", turns(r.getConversations(), true)).toString()));
  static final Renderings<RoleMrcPreference> DPO = new Renderings<>(RoleMrcPreference.class,
      Map.of("trl", RoleMrcPipeline::trl, "llamafactory", RoleMrcPipeline::llamaFactory, "rolemrc", RoleMrcPipeline::authors));
  static final Renderings<RoleMrcProfile> META = new Renderings<>(RoleMrcProfile.class, Map.of("json", RoleMrcProfile::toString));

  @Override
  public String name() {
    return RoleMrcSettings.PIPELINE;
  }

  @Override
  public Class<? extends RolesynthOptions> optionsType() {
    return RoleMrcOptions.class;
  }

  @Override
  public String samplePool() {
    return RoleMrcSettings.SAMPLE + "personas.jsonl";
  }

  @Override
  public long expectedCallsPerRecord(RolesynthOptions options) {
    return options.as(RoleMrcOptions.class).getRuledTasks() ? 6 : 5;
  }

  @Override
  public RecordMapper<Persona> mapper(RolesynthOptions options) {
    return new Mappers.Personas();
  }

  @Override
  public Map<String, Renderings<?>> renderings() {
    return Map.of("sft", SFT, "dpo", DPO, "meta", META);
  }

  @Override
  public Plan<Persona> plan(RolesynthOptions options) {
    RoleMrcSettings settings = new RoleMrcSettings(options.as(RoleMrcOptions.class));
    return new Plan<>() {
      @Override
      public Map<String, String> templateHashes() {
        return settings.templateHashes();
      }

      @Override
      public Outputs build(PCollection<Persona> personas, RunInfo run) {
        PCollectionTuple out = personas.apply("RoleMrc", new SynthesizeRoleMrc(settings, run));
        PCollection<RoleMrcProfile> meta = out.get(SynthesizeRoleMrc.META)
            .apply("ToMetaRecords", MapElements.into(TypeDescriptor.of(RoleMrcProfile.class)).via((Matched m) -> meta(m, run)))
            .setCoder(AvroRecordCoder.of(RoleMrcProfile.class));
        return new Outputs(List.of(new Dataset<>("sft", out.get(SynthesizeRoleMrc.SFT), SFT),
            new Dataset<>("dpo", out.get(SynthesizeRoleMrc.DPO), DPO), new Dataset<>("meta", meta, META)),
            out.get(SynthesizeRoleMrc.FAILURES));
      }
    };
  }

  static RoleMrcProfile meta(Matched m, RunInfo run) {
    Profile p = m.profile();
    return new RoleMrcProfile(p.id(), p.persona().text(), p.name(), p.description(), p.skills(), p.speechStyle(),
        p.personality(), p.background(), p.boundaries(), p.examples(), match(m.most()), match(m.least()),
        run.provenance(p.origin(), p.persona().warnings(), 1));
  }

  private static MrcMatch match(Match m) {
    return new MrcMatch(m.item().id(), m.item().query(), m.item().passages(),
        m.item().answerable() ? m.item().answer() : Mappers.Items.NO_ANSWER, m.score());
  }

  /** Turns as OpenAI chat has them, or as the authors' {@code conversations} do (System, User, Assistant). */
  static ArrayNode turns(List<ChatTurn> turns, boolean authors) {
    ArrayNode a = MAPPER.createArrayNode();
    for (ChatTurn t : turns) {
      a.addObject().put("role", authors ? label(t) : t.getRole()).put("content", t.getContent());
    }
    return a;
  }

  private static String label(ChatTurn t) {
    return Character.toUpperCase(t.getRole().charAt(0)) + t.getRole().substring(1);
  }

  /** TRL's conversational preference format. */
  static String trl(RoleMrcPreference r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.set("prompt", turns(r.getPrompt(), false));
    o.putArray("chosen").addObject().put("role", "assistant").put("content", r.getChosen());
    o.putArray("rejected").addObject().put("role", "assistant").put("content", r.getRejected());
    return o.toString();
  }

  /** LLaMA-Factory's ShareGPT preference format: the system turn apart, chosen and rejected as gpt turns. */
  static String llamaFactory(RoleMrcPreference r) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode c = o.putArray("conversations");
    for (ChatTurn t : r.getPrompt()) {
      if (t.getRole().equals("system")) {
        o.put("system", t.getContent());
      } else {
        c.addObject().put("from", t.getRole().equals("user") ? "human" : "gpt").put("value", t.getContent());
      }
    }
    o.putObject("chosen").put("from", "gpt").put("value", r.getChosen());
    o.putObject("rejected").put("from", "gpt").put("value", r.getRejected());
    return o.toString();
  }

  /** The authors' DPO records: the prompt as one text, its turns labelled as their SFT records label them. */
  static String authors(RoleMrcPreference r) {
    StringBuilder prompt = new StringBuilder();
    for (ChatTurn t : r.getPrompt()) {
      prompt.append(prompt.length() == 0 ? "" : "\n\n").append(label(t)).append(": ").append(t.getContent());
    }
    return MAPPER.createObjectNode().put("prompt", prompt.toString()).put("chosen", r.getChosen()).put("rejected", r.getRejected())
        .toString();
  }
}
