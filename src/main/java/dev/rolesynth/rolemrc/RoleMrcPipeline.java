package dev.rolesynth.rolemrc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.MrcMatch;
import dev.rolesynth.avro.RoleMrcConversation;
import dev.rolesynth.avro.RoleMrcPreference;
import dev.rolesynth.avro.RoleMrcProfile;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.ChatFormats;
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
@AutoService(RolePipeline.class)
public final class RoleMrcPipeline implements RolePipeline<Persona> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final Renderings<RoleMrcConversation> SFT =
      new Renderings<>(
          RoleMrcConversation.class,
          Map.of(
              "chat",
              r -> ChatFormats.chat(r.getConversations()),
              "rolemrc",
              (RoleMrcConversation r) -> authors(r)));
  static final Renderings<RoleMrcPreference> DPO =
      new Renderings<>(
          RoleMrcPreference.class,
          Map.of(
              "trl",
              r -> ChatFormats.trl(r.getPrompt(), r.getChosen(), r.getRejected()),
              "llamafactory",
              r -> ChatFormats.shareGptPreference(r.getPrompt(), r.getChosen(), r.getRejected()),
              "rolemrc",
              (RoleMrcPreference r) -> authors(r)));
  static final Renderings<RoleMrcProfile> META =
      new Renderings<>(RoleMrcProfile.class, Map.of("json", RoleMrcProfile::toString));

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
    if (!options.getFieldMap().isBlank()) {
      throw new dev.rolesynth.ConfigException(
          "--fieldMap is not used by rolemrc: personas are read as PersonaHub has them");
    }
    return new Mappers.Personas();
  }

  @Override
  public Map<String, Renderings<?>> renderings() {
    return Map.of("sft", SFT, "dpo", DPO, "meta", META);
  }

  @Override
  public Plan<Persona> plan(RolesynthOptions options) {
    RoleMrcSettings settings = new RoleMrcSettings(options.as(RoleMrcOptions.class));
    return Plan.of(
        settings,
        (personas, run) -> {
          PCollectionTuple out = personas.apply("RoleMrc", new SynthesizeRoleMrc(settings, run));
          PCollection<RoleMrcProfile> meta =
              out.get(SynthesizeRoleMrc.META)
                  .apply(
                      "ToMetaRecords",
                      MapElements.into(TypeDescriptor.of(RoleMrcProfile.class))
                          .via((Matched m) -> meta(m, run)))
                  .setCoder(AvroRecordCoder.of(RoleMrcProfile.class));
          return new Outputs(
              List.of(
                  new Dataset<>("sft", out.get(SynthesizeRoleMrc.SFT), SFT),
                  new Dataset<>("dpo", out.get(SynthesizeRoleMrc.DPO), DPO),
                  new Dataset<>("meta", meta, META)),
              out.get(SynthesizeRoleMrc.FAILURES));
        });
  }

  static RoleMrcProfile meta(Matched m, RunInfo run) {
    Profile p = m.profile();
    return new RoleMrcProfile(
        p.id(),
        p.persona().text(),
        p.name(),
        p.description(),
        p.skills(),
        p.speechStyle(),
        p.personality(),
        p.background(),
        p.boundaries(),
        p.examples(),
        match(m.most()),
        match(m.least()),
        run.provenance(p.origin(), p.persona().warnings(), 1));
  }

  private static MrcMatch match(Match m) {
    return new MrcMatch(
        m.item().id(),
        m.item().query(),
        m.item().passages(),
        m.item().answerable() ? m.item().answer() : Mappers.Items.NO_ANSWER,
        m.score());
  }

  /** The authors' SFT records: {@code conversations} with System, User and Assistant turns. */
  static String authors(RoleMrcConversation r) {
    ArrayNode a = MAPPER.createArrayNode();
    r.getConversations()
        .forEach(t -> a.addObject().put("role", label(t)).put("content", t.getContent()));
    return MAPPER.createObjectNode().set("conversations", a).toString();
  }

  /**
   * The authors' DPO records: the prompt as one text, its turns labelled as their SFT records label
   * them.
   */
  static String authors(RoleMrcPreference r) {
    StringBuilder prompt = new StringBuilder();
    for (ChatTurn t : r.getPrompt()) {
      prompt
          .append(prompt.length() == 0 ? "" : "\n\n")
          .append(label(t))
          .append(": ")
          .append(t.getContent());
    }
    return MAPPER
        .createObjectNode()
        .put("prompt", prompt.toString())
        .put("chosen", r.getChosen())
        .put("rejected", r.getRejected())
        .toString();
  }

  private static String label(ChatTurn t) {
    return Character.toUpperCase(t.getRole().charAt(0)) + t.getRole().substring(1);
  }
}
