package dev.rolesynth.pipeline;

import dev.rolesynth.pipeline.GroupByKeys.Grouped;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.Traced;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The source texts (novels, scripts) of a method that learns from a character's work, gathered for
 * each record that claims them: whole text files, or JSONL records {@code {roleId | file | work,
 * text}}, matched by the record's id, one of its names, or the source file its pool record names.
 * Unreadable texts and texts no record claims are dead letters of the method's reading stage.
 */
public final class SourceTexts {
  private SourceTexts() {}

  /** What claims texts: its id, the names a text may give for it, a source file ("" for none). */
  public interface Claimant extends Traced {
    String name();

    /** Every name a text's {@code roleId} may give: the name and its aliases. */
    List<String> names();

    String sourceKey();
  }

  /** One source text: a whole file (line 0), or one JSONL record. */
  public record Text(String file, long line, String text) implements Serializable {
    public String id() {
      return line == 0 ? file : file + ":" + line;
    }
  }

  /** Whether a text is claimed under one of its keys (the text itself stays behind). */
  record TextClaim(String file, long line, boolean claimed) implements Serializable {}

  /**
   * Each claimant with its texts, {@code only(type)} and {@code all(Text.class)}; the texts are
   * {@code filepattern}'s files, and their dead letters are the stage {@code stage}'s.
   */
  public static <R extends Claimant> PCollection<Grouped> gather(
      Build b, PCollection<R> claimants, Class<R> type, String filepattern, String stage) {
    PCollection<KV<String, Text>> texts =
        coded(
            b.collect(
                claimants
                    .getPipeline()
                    .apply(
                        "MatchFiles",
                        FileIO.match()
                            .filepattern(filepattern)
                            .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
                    .apply("OpenSourceTexts", FileIO.readMatches())
                    .apply("ReadSourceTexts", EachOrFail.of(keyedText(), new ReadTextsFn(stage)))),
            Text.class);
    // claimants and texts under every key a text may name a claimant by
    PCollection<Grouped> byKey =
        GroupByKeys.named("JoinTextsToRoles")
            .withKeyed(
                coded(claimants.apply("KeyRolesBySource", ParDo.of(new KeysFn<R>())), type), type)
            .withKeyed(texts, Text.class)
            .group();
    b.failures(
        coded(
                byKey.apply(
                    "ClaimsPerText",
                    FlatMapElements.into(new TypeDescriptor<KV<String, TextClaim>>() {})
                        .via(key -> claims(key, type))),
                TextClaim.class)
            .apply("GroupKeysPerText", GroupByKey.create())
            .apply("TextsOfNoRole", ParDo.of(new OrphanFn(stage)))
            .setCoder(KryoCoder.of(Failure.class)));
    PCollection<KV<String, Text>> byClaimant =
        coded(
            byKey.apply(
                "TextsByRole",
                FlatMapElements.into(new TypeDescriptor<KV<String, Text>>() {})
                    .via(key -> textsByClaimant(key, type))),
            Text.class);
    return GroupByKeys.named("GatherTextsPerRole")
        .with(claimants, Traced::id, type)
        .withKeyed(byClaimant, Text.class)
        .group();
  }

  private static <T extends Serializable> PCollection<KV<String, T>> coded(
      PCollection<KV<String, T>> in, Class<T> type) {
    return in.setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(type)));
  }

  @SuppressWarnings("unchecked")
  private static Class<KV<String, Text>> keyedText() {
    return (Class<KV<String, Text>>) (Class<?>) KV.class;
  }

  static String fileKey(String name) {
    return "file:" + name.substring(name.lastIndexOf('/') + 1).strip().toLowerCase(Locale.ROOT);
  }

  static String stemKey(String name) {
    String k = fileKey(name);
    int dot = k.lastIndexOf('.');
    return dot > "file:".length() ? k.substring(0, dot) : k;
  }

  /** A name or alias as a JSONL text's roleId may give it. */
  static String nameKey(String name) {
    return "name:" + name.strip().toLowerCase(Locale.ROOT);
  }

  /** A claimant under its id, its name and aliases, and its source file. */
  static final class KeysFn<R extends Claimant> extends DoFn<R, KV<String, R>> {
    @ProcessElement
    public void process(@Element R r, OutputReceiver<KV<String, R>> out) {
      Set<String> keys =
          new LinkedHashSet<>(List.of("id:" + r.id(), fileKey(r.id()), fileKey(r.name())));
      r.names().forEach(n -> keys.add(nameKey(n)));
      if (!r.sourceKey().isBlank()) {
        keys.add(fileKey(r.sourceKey()));
        keys.add(stemKey(r.sourceKey()));
      }
      keys.forEach(k -> out.output(KV.of(k, r)));
    }
  }

  /** Each text of one key with every claimant of that key, keyed by the claimant's id. */
  static <R extends Claimant> List<KV<String, Text>> textsByClaimant(Grouped key, Class<R> type) {
    List<KV<String, Text>> out = new ArrayList<>();
    for (Text t : key.all(Text.class)) {
      key.all(type).forEach(r -> out.add(KV.of(r.id(), t)));
    }
    return out;
  }

  /**
   * Each text of one key with whether a claimant claims it there, keyed by the text: a text none
   * claims under any of its keys becomes a dead letter.
   */
  static <R extends Claimant> List<KV<String, TextClaim>> claims(Grouped key, Class<R> type) {
    boolean claimed = !key.all(type).isEmpty();
    return key.all(Text.class).stream()
        .map(t -> KV.of(t.id(), new TextClaim(t.file(), t.line(), claimed)))
        .toList();
  }

  /** A source text that no record claims under any of its keys. */
  static final class OrphanFn extends DoFn<KV<String, Iterable<TextClaim>>, Failure> {
    private final String stage;

    OrphanFn(String stage) {
      this.stage = stage;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<TextClaim>> text, OutputReceiver<Failure> out) {
      TextClaim any = null;
      for (TextClaim t : text.getValue()) {
        if (t.claimed()) {
          return;
        }
        any = t;
      }
      out.output(
          new Failure(
              text.getKey(),
              text.getKey(),
              stage,
              "unmatched_source_text",
              text.getKey()
                  + ": no role in the pool matches this text by id, name or its source-file field",
              new Origin(any.file(), any.line())));
    }
  }
}
