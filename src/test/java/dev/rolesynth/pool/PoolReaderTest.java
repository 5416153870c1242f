package dev.rolesynth.pool;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class PoolReaderTest {
  record Read(List<Role> roles, List<String> bad) {}

  static Read read(String resource, String format, Map<String, String> fieldMap) throws Exception {
    RoleMapper mapper = new RoleMapper(fieldMap, 20_000);
    List<Role> roles = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    try (InputStream in = PoolReaderTest.class.getResourceAsStream("/pools/" + resource)) {
      PoolReader.read(
          in,
          PoolReader.formatOf(resource, format),
          new PoolReader.Sink() {
            @Override
            public void record(JsonNode record, long line) {
              try {
                roles.add(mapper.map(record, new Origin(resource, line)));
              } catch (BadRecordException e) {
                bad.add(line + " " + e.reason() + " " + e.getMessage());
              }
            }

            @Override
            public void bad(long line, String reason, String message) {
              bad.add(line + " " + reason + " " + message);
            }
          });
    }
    return new Read(roles, bad);
  }

  @Test
  public void jsonlKeepsGoodLinesAndNamesEveryBadOneByLineAndField() throws Exception {
    Read r = read("mixed.jsonl", "auto", Map.of());
    List<String> names = r.roles().stream().map(Role::name).toList();
    assertEquals(
        List.of(
            "Ada Lovelace",
            "Odysseus",
            "Captain Nemo",
            "Hua Mulan",
            "Second Nemo",
            "Mira Okonkwo",
            "Nikola Tesla"),
        names);
    assertEquals(5, r.bad().size());
    assertThat(r.bad().get(0), containsString("4 malformed_json"));
    assertThat(r.bad().get(1), containsString("5 missing_field"));
    assertThat(r.bad().get(1), containsString("'name'"));
    assertThat(r.bad().get(2), containsString("6 wrong_type"));
    assertThat(r.bad().get(2), containsString("must be a string, got an array"));
    assertThat(r.bad().get(3), containsString("11 not_an_object"));
    assertThat(r.bad().get(4), containsString("12 invalid_utf8"));
    assertEquals(13, r.roles().get(6).origin().line());
  }

  @Test
  public void readsDittoMetaFormat() throws Exception {
    Role ada = read("mixed.jsonl", "auto", Map.of()).roles().get(0);
    assertEquals("Ada Lovelace", ada.name());
    assertEquals("r-" + RoleMapper.shortHash("Ada Lovelace"), ada.id());
    assertEquals(List.of("Countess of Lovelace"), ada.aliases());
    assertEquals("English mathematician", ada.description());
    List<String> keys = ada.profile().stream().map(Role.Field::key).toList();
    // trans_claims win over raw claims; wiki gives its content; bookkeeping fields are dropped.
    assertEquals(List.of("claims", "summary", "wiki", "category"), keys);
    assertEquals("occupation: mathematician; father: Lord Byron", ada.profile().get(0).value());
    assertEquals("Ada studied with Mary Somerville.", ada.profile().get(2).value());
    Role odysseus = read("mixed.jsonl", "auto", Map.of()).roles().get(1);
    assertEquals("Odysseus", odysseus.name()); // wrapped in "meta"
    assertEquals(List.of("Ulysses"), odysseus.aliases());
  }

  @Test
  public void readsGenericFormatWithFreeFormFields() throws Exception {
    Role nemo = read("mixed.jsonl", "auto", Map.of()).roles().get(2);
    assertEquals("nemo", nemo.id());
    assertEquals("en", nemo.lang());
    assertEquals(
        List.of(
            new Role.Field(
                "background",
                "Nemo built the submarine Nautilus. He plays the organ in his salon."),
            new Role.Field("temperament", "proud")),
        nemo.profile());
    Role mulan = read("mixed.jsonl", "auto", Map.of()).roles().get(3);
    assertEquals(List.of("Mulan", "Fa Mulan"), mulan.aliases());
  }

  @Test
  public void aJsonFileWithOneObjectIsOneRecord() throws Exception {
    Read one = read("one-role.json", "auto", Map.of());
    assertEquals(List.of(), one.bad());
    assertEquals("Mira Okonkwo", one.roles().get(0).name());
    assertEquals(1, one.roles().get(0).origin().line());
    assertEquals(
        "ISTJ",
        one.roles().get(0).profile().stream()
            .filter(f -> f.key().equals("personality"))
            .findFirst()
            .orElseThrow()
            .value());
  }

  @Test
  public void readsJsonArraysAndCsvWithLines() throws Exception {
    Read json = read("roles.json", "auto", Map.of());
    assertEquals(List.of("nemo", "mulan", "mira"), json.roles().stream().map(Role::id).toList());
    assertEquals(2, json.roles().get(0).origin().line());
    Read csv = read("roles.csv", "auto", Map.of());
    assertEquals(
        List.of("Captain Nemo", "Hua Mulan"), csv.roles().stream().map(Role::name).toList());
    assertEquals(List.of("Nemo", "Prince Dakkar"), csv.roles().get(0).aliases());
    assertEquals(List.of(2L, 3L), csv.roles().stream().map(r -> r.origin().line()).toList());
  }

  @Test
  public void fieldMapRenamesCanonicalFields() throws Exception {
    Read r = read("roles.csv", "auto", RoleMapper.parseFieldMap("name=description,id=aliases"));
    assertEquals("commander of the Nautilus", r.roles().get(0).name());
    assertThrows(ConfigException.class, () -> RoleMapper.parseFieldMap("nickname=label"));
    assertThrows(ConfigException.class, () -> RoleMapper.parseFieldMap("name"));
  }

  @Test
  public void longFieldsAreCutToTheCap() throws Exception {
    RoleMapper mapper = new RoleMapper(Map.of(), 100);
    JsonNode node =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .createObjectNode()
            .put("name", "Long")
            .put("bio", "x".repeat(5_000));
    Role role = mapper.map(node, new Origin("f", 1));
    assertEquals(100, role.profile().get(0).value().length());
    assertEquals(
        List.of("field 'bio' was cut from 5000 to 100 characters (--maxFieldChars)"),
        role.warnings());
  }

  @Test
  public void hugeRecordsAreReportedWithoutBeingHeldWhole() throws Exception {
    String huge = "{\"id\": \"huge\", \"name\": \"" + "y".repeat(300_000) + "\"}";
    String text =
        "{\"id\": \"a\", \"name\": \"A\"}\n" + huge + "\n{\"id\": \"b\", \"name\": \"B\"}";
    List<String> ok = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    PoolReader.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        "jsonl",
        100_000,
        new PoolReader.Sink() {
          @Override
          public void record(JsonNode record, long line) {
            ok.add(line + ":" + record.get("id").asText());
          }

          @Override
          public void bad(long line, String reason, String message) {
            bad.add(line + ":" + reason + ":" + message);
          }
        });
    assertEquals(List.of("1:a", "3:b"), ok);
    assertEquals(1, bad.size());
    assertThat(
        bad.get(0),
        containsString("2:record_too_large:line 2 has 300026 bytes, over the limit of 100000"));
  }
}
