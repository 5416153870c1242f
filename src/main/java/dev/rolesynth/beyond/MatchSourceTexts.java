package dev.rolesynth.beyond;

import static dev.rolesynth.beyond.ClaimSourceTexts.nameKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.beyond.ClaimSourceTexts.OrphanFn;
import dev.rolesynth.beyond.ClaimSourceTexts.RoleKeysFn;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.EachOrFail;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.GroupByKeys;
import dev.rolesynth.pipeline.GroupByKeys.Grouped;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pool.Origin;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Beyond Dialogue's source mode, first step: reads the source texts (whole files, or JSONL records
 * naming their role) and gathers each role's texts, matched by role id, name, alias or the role's
 * source-file field. Unreadable texts and texts no role claims are dead letters.
 */
final class MatchSourceTexts {
  static final String STAGE_READ = "bd_read_source";

  private MatchSourceTexts() {}

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

  /** Each role with its texts: {@code only(Profile.class)}, {@code all(SourceText.class)}. */
  static PCollection<Grouped> expand(
      PCollection<Profile> profiles, BeyondDialogueSettings settings, Build b) {
    PCollection<KV<String, SourceText>> texts =
        coded(
            b.collect(
                profiles
                    .getPipeline()
                    .apply(
                        "MatchFiles",
                        FileIO.match()
                            .filepattern(settings.sourceTexts)
                            .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
                    .apply("OpenSourceTexts", FileIO.readMatches())
                    .apply("ReadSourceTexts", EachOrFail.of(keyedText(), new ReadTextsFn()))),
            SourceText.class);
    // roles and texts under every key a text may name a role by
    PCollection<Grouped> byKey =
        GroupByKeys.named("JoinTextsToRoles")
            .withKeyed(
                coded(
                    profiles.apply("KeyRolesBySource", ParDo.of(new RoleKeysFn())), Profile.class),
                Profile.class)
            .withKeyed(texts, SourceText.class)
            .group();
    b.failures(
        coded(
                byKey.apply(
                    "ClaimsPerText",
                    FlatMapElements.into(new TypeDescriptor<KV<String, TextClaim>>() {})
                        .via(ClaimSourceTexts::claims)),
                TextClaim.class)
            .apply("GroupKeysPerText", GroupByKey.create())
            .apply("TextsOfNoRole", ParDo.of(new OrphanFn()))
            .setCoder(KryoCoder.of(Failure.class)));
    PCollection<KV<String, SourceText>> textsByRole =
        coded(
            byKey.apply(
                "TextsByRole",
                FlatMapElements.into(new TypeDescriptor<KV<String, SourceText>>() {})
                    .via(ClaimSourceTexts::textsByRole)),
            SourceText.class);
    return GroupByKeys.named("GatherTextsPerRole")
        .with(profiles, Profile::id, Profile.class)
        .withKeyed(textsByRole, SourceText.class)
        .group();
  }

  private static <T extends Serializable> PCollection<KV<String, T>> coded(
      PCollection<KV<String, T>> in, Class<T> type) {
    return in.setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(type)));
  }

  @SuppressWarnings("unchecked")
  private static Class<KV<String, SourceText>> keyedText() {
    return (Class<KV<String, SourceText>>) (Class<?>) KV.class;
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
  static final class ReadTextsFn
      implements EachOrFail.Fn<FileIO.ReadableFile, Void, KV<String, SourceText>> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public void apply(
        FileIO.ReadableFile file, Void none, EachOrFail.Out<KV<String, SourceText>> out) {
      try {
        read(file, out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void read(FileIO.ReadableFile file, EachOrFail.Out<KV<String, SourceText>> out)
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
        out.output(KV.of(fileKey(name), t));
        if (!stemKey(name).equals(fileKey(name))) {
          out.output(KV.of(stemKey(name), t));
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
          out.output(KV.of("id:" + who, t));
          out.output(KV.of(nameKey(who), t));
        } else if (n.path("file").isTextual() || n.path("work").isTextual()) {
          String f = n.path("file").isTextual() ? n.get("file").asText() : n.get("work").asText();
          out.output(KV.of(fileKey(f), t));
          if (!stemKey(f).equals(fileKey(f))) {
            out.output(KV.of(stemKey(f), t));
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
        EachOrFail.Out<KV<String, SourceText>> out,
        String file,
        long line,
        String reason,
        String detail) {
      Origin o = new Origin(file, line);
      out.fail(
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
