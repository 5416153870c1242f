package dev.rolesynth.pool;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Streams the records of one pool file (JSONL, JSON array or CSV) with their line numbers. Every
 * record, readable or not, reaches the sink exactly once, so bad lines become dead letters instead
 * of vanishing or stopping the read.
 */
public final class PoolReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Receives each record or each unreadable one. */
  public interface Sink {
    void record(JsonNode record, long line);

    void bad(long line, String reason, String message);
  }

  private PoolReader() {}

  public static String formatOf(String fileName, String format) {
    if (format != null && !format.isEmpty() && !format.equals("auto")) {
      return format.toLowerCase(Locale.ROOT);
    }
    String f = fileName.toLowerCase(Locale.ROOT);
    if (f.endsWith(".csv")) {
      return "csv";
    }
    if (f.endsWith(".json")) {
      return "json";
    }
    return "jsonl";
  }

  public static void read(InputStream in, String format, Sink sink) throws IOException {
    read(in, format, DEFAULT_MAX_RECORD_BYTES, sink);
  }

  public static void read(InputStream in, String format, int maxRecordBytes, Sink sink)
      throws IOException {
    switch (format) {
      case "jsonl" -> readJsonl(in, maxRecordBytes, sink);
      case "json" -> readJsonArray(in, sink);
      case "csv" -> readCsv(in, sink);
      default ->
          throw new IllegalArgumentException(
              "unknown input format " + format + " (jsonl, json, csv)");
    }
  }

  private static CharsetDecoder strictUtf8() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** Records longer than this many bytes are dead-lettered without being held in memory. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 4 << 20;

  /**
   * One record a line, streamed; blank lines are skipped; invalid UTF-8 fails only its own line,
   * and a line over {@code maxRecordBytes} is skipped to its end and reported, never buffered
   * whole.
   */
  private static void readJsonl(InputStream raw, int maxRecordBytes, Sink sink) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    long number = 0;
    long length = 0;
    int b;
    while (true) {
      b = in.read();
      if (b == '\n' || b == -1) {
        if (b == -1 && length == 0) {
          return;
        }
        number++;
        if (length > maxRecordBytes) {
          sink.bad(
              number,
              "record_too_large",
              "line "
                  + number
                  + " has "
                  + length
                  + " bytes, over the limit of "
                  + maxRecordBytes
                  + " (--maxRecordBytes)");
        } else {
          byte[] bytes = line.toByteArray();
          int end =
              bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
          if (end > 0) {
            jsonLine(bytes, 0, end, number, sink);
          }
        }
        line.reset();
        length = 0;
        if (b == -1) {
          return;
        }
        continue;
      }
      length++;
      if (length <= maxRecordBytes) {
        line.write(b);
      } else if (line.size() > 0) {
        line.reset(); // over the cap: stop keeping the bytes, keep counting them
      }
    }
  }

  private static void jsonLine(byte[] all, int start, int end, long line, Sink sink) {
    String text;
    try {
      text = strictUtf8().decode(ByteBuffer.wrap(all, start, end - start)).toString();
    } catch (CharacterCodingException e) {
      sink.bad(line, "invalid_utf8", "line " + line + " is not valid UTF-8");
      return;
    }
    if (text.isBlank()) {
      return;
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (!node.isObject()) {
        sink.bad(
            line,
            "not_an_object",
            "line "
                + line
                + " holds JSON "
                + node.getNodeType().name().toLowerCase(Locale.ROOT)
                + ", not an object");
        return;
      }
      sink.record(node, line);
    } catch (JsonProcessingException e) {
      sink.bad(line, "malformed_json", "line " + line + ": " + e.getOriginalMessage());
    }
  }

  /** A top-level array of objects (each element's line is where it starts), or one object. */
  private static void readJsonArray(InputStream in, Sink sink) throws IOException {
    try (JsonParser p = JSON.getFactory().createParser(new InputStreamReader(in, strictUtf8()))) {
      JsonToken first;
      try {
        first = p.nextToken();
        if (first == JsonToken.START_OBJECT) {
          // One record per file, as in Beyond Dialogue's roles_en/<Name>.json.
          sink.record(JSON.readTree(p), 1);
          return;
        }
      } catch (JsonProcessingException e) {
        sink.bad(
            e.getLocation() == null ? 1 : e.getLocation().getLineNr(),
            "malformed_json",
            e.getOriginalMessage());
        return;
      } catch (CharacterCodingException e) {
        sink.bad(1, "invalid_utf8", "invalid UTF-8");
        return;
      }
      if (first != JsonToken.START_ARRAY) {
        sink.bad(
            1,
            "not_an_array",
            "a .json pool must hold one array of records or a single record object");
        return;
      }
      while (true) {
        JsonToken t;
        long line;
        try {
          t = p.nextToken();
          line = p.currentTokenLocation().getLineNr();
          if (t == JsonToken.END_ARRAY || t == null) {
            return;
          }
          JsonNode node = JSON.readTree(p);
          if (!node.isObject()) {
            sink.bad(line, "not_an_object", "array element at line " + line + " is not an object");
          } else {
            sink.record(node, line);
          }
        } catch (JsonProcessingException e) {
          // A syntax error leaves the parser lost: report it and stop reading this file.
          sink.bad(
              e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
              "malformed_json",
              e.getOriginalMessage() + "; the rest of the file was not read");
          return;
        } catch (CharacterCodingException e) {
          sink.bad(
              p.currentLocation().getLineNr(),
              "invalid_utf8",
              "invalid UTF-8; the rest of the file was not read");
          return;
        }
      }
    }
  }

  /** A header row, then one role a row; list-valued columns are split on ';' or '|'. */
  private static void readCsv(InputStream in, Sink sink) throws IOException {
    CsvMapper csv = new CsvMapper();
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, strictUtf8()));
        MappingIterator<Map<String, String>> it =
            csv.readerForMapOf(String.class).with(schema).readValues(reader)) {
      while (true) {
        long line = 0;
        try {
          if (!it.hasNextValue()) {
            return;
          }
          Map<String, String> row = it.nextValue();
          line = it.getCurrentLocation().getLineNr();
          ObjectNode node = JSON.createObjectNode();
          row.forEach(node::put);
          sink.record(node, Math.max(2, line - 1));
        } catch (JsonProcessingException e) {
          sink.bad(
              e.getLocation() == null ? line : e.getLocation().getLineNr(),
              "malformed_csv",
              e.getOriginalMessage());
          return;
        }
      }
    } catch (CharacterCodingException e) {
      sink.bad(0, "invalid_utf8", "the CSV file is not valid UTF-8");
    }
  }
}
