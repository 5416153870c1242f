package dev.rolesynth.beyond;

import static dev.rolesynth.beyond.MatchSourceTexts.fileKey;
import static dev.rolesynth.beyond.MatchSourceTexts.stemKey;

import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.beyond.MatchSourceTexts.SourceText;
import dev.rolesynth.beyond.MatchSourceTexts.TextClaim;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.GroupByKeys.Grouped;
import dev.rolesynth.pool.Origin;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * How roles claim source texts: each role keyed by its id, name and aliases, texts grouped by the
 * role claiming them, and texts no role claims.
 */
final class ClaimSourceTexts {
  private ClaimSourceTexts() {}

  /** A role's name or alias as a JSONL text's roleId may give it. */
  static String nameKey(String name) {
    return "name:" + name.strip().toLowerCase(Locale.ROOT);
  }

  static final class RoleKeysFn extends DoFn<Profile, KV<String, Profile>> {
    @ProcessElement
    public void process(@Element Profile p, OutputReceiver<KV<String, Profile>> out) {
      Set<String> keys =
          new LinkedHashSet<>(List.of("id:" + p.id(), fileKey(p.id()), fileKey(p.name())));
      p.names().forEach(n -> keys.add(nameKey(n)));
      if (!p.sourceKey().isBlank()) {
        keys.add(fileKey(p.sourceKey()));
        keys.add(stemKey(p.sourceKey()));
      }
      keys.forEach(k -> out.output(KV.of(k, p)));
    }
  }

  /** Each text of one key with every role of that key, keyed by the role's id. */
  static List<KV<String, SourceText>> textsByRole(Grouped key) {
    List<KV<String, SourceText>> out = new ArrayList<>();
    for (SourceText t : key.all(SourceText.class)) {
      key.all(Profile.class).forEach(p -> out.add(KV.of(p.id(), t)));
    }
    return out;
  }

  /**
   * Each text of one key with whether a role claims it there, keyed by the text: a text no role
   * claims under any of its keys becomes a dead letter.
   */
  static List<KV<String, TextClaim>> claims(Grouped key) {
    boolean claimed = !key.all(Profile.class).isEmpty();
    return key.all(SourceText.class).stream()
        .map(t -> KV.of(t.id(), new TextClaim(t.file(), t.line(), claimed)))
        .toList();
  }

  /** A source text that no role claims under any of its keys. */
  static final class OrphanFn extends DoFn<KV<String, Iterable<TextClaim>>, Failure> {
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
      Origin o = new Origin(any.file(), any.line());
      out.output(
          new Failure(
              text.getKey(),
              text.getKey(),
              MatchSourceTexts.STAGE_READ,
              "unmatched_source_text",
              text.getKey()
                  + ": no role in the pool matches this text by id, name or its source-file field",
              o));
    }
  }
}
