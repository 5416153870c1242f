package dev.rolesynth.pool;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class PoolMapperTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Package-private, as the methods' pool records are. */
  record Thing(String id, String name, List<String> tags, Origin origin, List<String> warnings)
      implements PoolRecord {}

  static final class Things extends PoolMapper<Thing> {
    Things() {
      super(Thing.class);
    }

    @Override
    public Thing map(JsonNode r, Origin origin) throws BadRecordException {
      String id = givenId(r);
      return new Thing(
          id.isEmpty() ? "t" : id,
          text(r, "name"),
          texts(r, "tags", "a few words"),
          origin,
          List.of());
    }
  }

  private static Thing map(String json) throws Exception {
    return new Things().map(MAPPER.readTree(json), new Origin("pool.jsonl", 3));
  }

  private static String problem(String json) {
    return assertThrows(BadRecordException.class, () -> map(json)).getMessage();
  }

  @Test
  public void aNamesakeIsTheSameRecordUnderAnotherId() throws Exception {
    Thing t = map("{\"id\": \" a \", \"name\": \" Ann \", \"tags\": \"x, y,,\"}");
    assertEquals(new Thing("a", "Ann", List.of("x", "y"), t.origin(), List.of()), t);
    Thing copy = new Things().withId(t, "a#2");
    assertEquals(new Thing("a#2", "Ann", List.of("x", "y"), t.origin(), List.of()), copy);
    assertEquals(Thing.class, new Things().type());
    assertEquals(Map.of("id", "a"), new Things().identity(MAPPER.createObjectNode(), t));
  }

  @Test
  public void eachBadFieldIsNamedWithWhatItShouldHold() {
    assertEquals("field 'name' is missing or empty", problem("{\"tags\": [\"x\"]}"));
    assertEquals(
        "field 'name' is missing or empty", problem("{\"name\": \" \", \"tags\": [\"x\"]}"));
    assertEquals(
        "field 'name' must be a string, got NUMBER", problem("{\"name\": 4, \"tags\": [\"x\"]}"));
    assertEquals(
        "field 'tags' (a few words) is missing or empty",
        problem("{\"name\": \"A\", \"tags\": []}"));
    assertEquals(
        "field 'tags' must hold strings, got NUMBER", problem("{\"name\": \"A\", \"tags\": [1]}"));
    assertEquals(
        "field 'tags' must be a list of strings, got OBJECT",
        problem("{\"name\": \"A\", \"tags\": {}}"));
  }

  @Test
  public void aRecordWithoutAnIdIsRefusedWhenTheMapperIsMade() {
    record NoId(String name, Origin origin, List<String> warnings) implements PoolRecord {
      @Override
      public String id() {
        return name;
      }
    }
    class Bad extends PoolMapper<NoId> {
      Bad() {
        super(NoId.class);
      }

      @Override
      public NoId map(JsonNode r, Origin origin) {
        return null;
      }
    }
    assertEquals(
        "dev.rolesynth.pool.PoolMapperTest$1NoId has no 'id' component",
        assertThrows(IllegalArgumentException.class, Bad::new).getMessage());
  }
}
