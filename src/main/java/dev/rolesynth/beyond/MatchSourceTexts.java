package dev.rolesynth.beyond;

import static dev.rolesynth.beyond.ClaimSourceTexts.nameKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.beyond.ClaimSourceTexts.OrphanFn;
import dev.rolesynth.beyond.ClaimSourceTexts.RoleKeysFn;
import dev.rolesynth.beyond.ClaimSourceTexts.TextsByRoleFn;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pool.Origin;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Beyond Dialogue's source mode, first step: reads the source texts (whole files, or JSONL records
 * naming their role) and gathers each role's texts, matched by role id, name, alias or the role's
 * source-file field. Unreadable texts and texts no role claims are dead letters.
 */
final class MatchSourceTexts
    extends PTransform<PCollection<Profile>, PCollection<KV<String, CoGbkResult>>> {
  static final String STAGE_READ = "bd_read_source";

  /** The keys of the per-role join this step outputs. */
  static final TupleTag<Profile> PROFILE = new TupleTag<>("profile");

  static final TupleTag<SourceText> TEXT = new TupleTag<>("text");

  private final BeyondDialogueSettings settings;
  private final transient Build b;

  /**
   * @param b where unreadable texts and texts of no role go as dead letters
   */
  MatchSourceTexts(BeyondDialogueSettings settings, Build b) {
    this.settings = settings;
    this.b = b;
  }

  /** One source text: a whole file (line 0), or one JSONL record. */
  record SourceText(String file, long line, String text) implements Serializable {
    String id() {
      return line == 0 ? file : file + ":" + line;
    }
  }

  /**
   * Whether a source text is claimed by some role under one of its keys (the text itself stays
   * behind).
   */
  record TextClaim(String file, long line, boolean claimed) implements Serializable {}

  @Override
  public PCollection<KV<String, CoGbkResult>> expand(PCollection<Profile> profiles) {
    TupleTag<KV<String, SourceText>> texts = new TupleTag<>();
    TupleTag<Failure> readFailures = new TupleTag<>();
    PCollectionTuple read =
        profiles
            .getPipeline()
            .apply(
                "MatchFiles",
                FileIO.match()
                    .filepattern(settings.sourceTexts)
                    .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
            .apply("OpenSourceTexts", FileIO.readMatches())
            .apply(
                "ReadSourceTexts",
                ParDo.of(new ReadTextsFn(texts, readFailures))
                    .withOutputTags(texts, TupleTagList.of(readFailures)));
    PCollection<KV<String, SourceText>> keyedTexts =
        read.get(texts).setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(SourceText.class)));
    TupleTag<KV<String, CoGbkResult>> matched = new TupleTag<>();
    TupleTag<KV<String, TextClaim>> unmatched = new TupleTag<>();
    PCollectionTuple joined = matchTexts(profiles, keyedTexts, matched, unmatched);
    b.failures(read.get(readFailures).setCoder(KryoCoder.of(Failure.class)));
    b.failures(
        joined
            .get(unmatched)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(TextClaim.class)))
            .apply("GroupKeysPerText", GroupByKey.create())
            .apply("TextsOfNoRole", ParDo.of(new OrphanFn()))
            .setCoder(KryoCoder.of(Failure.class)));
    return joined.get(matched);
  }

  /**
   * Joins roles with the texts that name them (by role id, name or the role's source-file field).
   */
  static PCollectionTuple matchTexts(
      PCollection<Profile> profiles,
      PCollection<KV<String, SourceText>> texts,
      TupleTag<KV<String, CoGbkResult>> matched,
      TupleTag<KV<String, TextClaim>> unmatched) {
    TupleTag<KV<String, SourceText>> toRole = new TupleTag<>();
    TupleTag<Profile> p = new TupleTag<>();
    TupleTag<SourceText> t = new TupleTag<>();
    PCollection<KV<String, Profile>> byKey =
        profiles
            .apply("KeyRolesBySource", ParDo.of(new RoleKeysFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(Profile.class)));
    PCollectionTuple byRole =
        KeyedPCollectionTuple.of(p, byKey)
            .and(t, texts)
            .apply("JoinTextsToRoles", CoGroupByKey.create())
            .apply(
                "TextsByRole",
                ParDo.of(new TextsByRoleFn(p, t, toRole, unmatched))
                    .withOutputTags(toRole, TupleTagList.of(unmatched)));
    PCollection<KV<String, SourceText>> textsByRole =
        byRole
            .get(toRole)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(SourceText.class)));
    PCollection<KV<String, Profile>> byId =
        profiles
            .apply("KeyRolesById", WithKeys.of((Profile x) -> x.id()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(Profile.class)));
    PCollection<KV<String, CoGbkResult>> perRole =
        KeyedPCollectionTuple.of(PROFILE, byId)
            .and(TEXT, textsByRole)
            .apply("GatherTextsPerRole", CoGroupByKey.create());
    return PCollectionTuple.of(matched, perRole).and(unmatched, byRole.get(unmatched));
  }

  static String fileKey(String name) {
    String base = name.substring(name.lastIndexOf('/') + 1).strip().toLowerCase(Locale.ROOT);
    return "file:" + base;
  }

  static String stemKey(String name) {
    String k = fileKey(name);
    int dot = k.lastIndexOf('.');
    return dot > "file:".length() ? k.substring(0, dot) : k;
  }

  /**
   * Whole text files, or JSONL records {roleId | file | work, text}; unreadable ones are dead
   * letters.
   */
  static final class ReadTextsFn extends DoFn<FileIO.ReadableFile, KV<String, SourceText>> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final TupleTag<KV<String, SourceText>> texts;
    private final TupleTag<Failure> failures;

    ReadTextsFn(TupleTag<KV<String, SourceText>> texts, TupleTag<Failure> failures) {
      this.texts = texts;
      this.failures = failures;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      String content;
      try {
        content =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(file.readFullyAsBytes()))
                .toString();
      } catch (CharacterCodingException e) {
        fail(out, name, 0, "invalid_utf8", "the source text is not valid UTF-8");
        return;
      }
      if (!name.endsWith(".jsonl")) {
        SourceText t = new SourceText(name, 0, content);
        out.get(texts).output(KV.of(fileKey(name), t));
        if (!stemKey(name).equals(fileKey(name))) {
          out.get(texts).output(KV.of(stemKey(name), t));
        }
        return;
      }
      String[] lines = content.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        long line = i + 1;
        JsonNode n;
        try {
          n = MAPPER.readTree(lines[i]);
        } catch (IOException e) {
          fail(out, name, line, "malformed_json", "not a JSON object");
          continue;
        }
        if (!n.path("text").isTextual() || n.get("text").asText().isBlank()) {
          fail(
              out,
              name,
              line,
              "missing_field",
              "field 'text' (the source text) is missing or empty");
          continue;
        }
        SourceText t = new SourceText(name, line, n.get("text").asText());
        if (n.path("roleId").isValueNode() && !n.get("roleId").asText().isBlank()) {
          // A text may name its role by id, name or alias ({"roleId": "Captain Ahab", ...}).
          String who = n.get("roleId").asText().strip();
          out.get(texts).output(KV.of("id:" + who, t));
          out.get(texts).output(KV.of(nameKey(who), t));
        } else if (n.path("file").isTextual() || n.path("work").isTextual()) {
          String f = n.path("file").isTextual() ? n.get("file").asText() : n.get("work").asText();
          out.get(texts).output(KV.of(fileKey(f), t));
          if (!stemKey(f).equals(fileKey(f))) {
            out.get(texts).output(KV.of(stemKey(f), t));
          }
        } else {
          fail(
              out,
              name,
              line,
              "missing_field",
              "field 'roleId' (or 'file' / 'work') is missing: the text belongs to no role");
        }
      }
    }

    private void fail(
        MultiOutputReceiver out, String file, long line, String reason, String detail) {
      Origin o = new Origin(file, line);
      out.get(failures)
          .output(
              new Failure(
                  o.toString(),
                  o.toString(),
                  STAGE_READ,
                  reason,
                  file + (line > 0 ? " line " + line : "") + ": " + detail,
                  o));
    }
  }
}
