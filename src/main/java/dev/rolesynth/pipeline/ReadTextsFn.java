package dev.rolesynth.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.pool.Origin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.values.KV;

/**
 * Whole text files, or JSONL records {roleId | file | work, text}, under every key a record may
 * claim them by; unreadable ones are dead letters.
 */
final class ReadTextsFn
    implements EachOrFail.Fn<FileIO.ReadableFile, Void, KV<String, SourceTexts.Text>> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final String stage;

  ReadTextsFn(String stage) {
    this.stage = stage;
  }

  @Override
  public void apply(
      FileIO.ReadableFile file, Void none, EachOrFail.Out<KV<String, SourceTexts.Text>> out) {
    try {
      read(file, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void read(FileIO.ReadableFile file, EachOrFail.Out<KV<String, SourceTexts.Text>> out)
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
      SourceTexts.Text t = new SourceTexts.Text(name, 0, content);
      out.output(KV.of(SourceTexts.fileKey(name), t));
      if (!SourceTexts.stemKey(name).equals(SourceTexts.fileKey(name))) {
        out.output(KV.of(SourceTexts.stemKey(name), t));
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
            out, name, line, "missing_field", "field 'text' (the source text) is missing or empty");
        continue;
      }
      SourceTexts.Text t = new SourceTexts.Text(name, line, n.get("text").asText());
      if (n.path("roleId").isValueNode() && !n.get("roleId").asText().isBlank()) {
        // A text may name its role by id, name or alias ({"roleId": "Captain Ahab", ...}).
        String who = n.get("roleId").asText().strip();
        out.output(KV.of("id:" + who, t));
        out.output(KV.of(SourceTexts.nameKey(who), t));
      } else if (n.path("file").isTextual() || n.path("work").isTextual()) {
        String f = n.path("file").isTextual() ? n.get("file").asText() : n.get("work").asText();
        out.output(KV.of(SourceTexts.fileKey(f), t));
        if (!SourceTexts.stemKey(f).equals(SourceTexts.fileKey(f))) {
          out.output(KV.of(SourceTexts.stemKey(f), t));
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
      EachOrFail.Out<KV<String, SourceTexts.Text>> out,
      String file,
      long line,
      String reason,
      String detail) {
    Origin o = new Origin(file, line);
    out.fail(
        new Failure(
            o.toString(),
            o.toString(),
            stage,
            reason,
            file + (line > 0 ? " line " + line : "") + ": " + detail,
            o));
  }
}
