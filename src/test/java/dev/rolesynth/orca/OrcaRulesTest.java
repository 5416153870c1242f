package dev.rolesynth.orca;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.ConfigException;
import dev.rolesynth.options.Knobs;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.orca.Orca.KeptUser;
import dev.rolesynth.orca.Orca.Persona;
import dev.rolesynth.orca.Orca.Post;
import dev.rolesynth.orca.Orca.PostTask;
import dev.rolesynth.orca.Orca.Quote;
import dev.rolesynth.orca.Orca.Upstream;
import dev.rolesynth.orca.Orca.User;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Orca's rules without a pipeline: post filters, PCIP section rules and targets, stage checks,
 * input mapping.
 */
public class OrcaRulesTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  static OrcaSettings settings(String... args) {
    RolesynthOptions o = Knobs.parseArgs("orca", OrcaKnobs.class, args);
    OrcaKnobs k = Knobs.of(o, "orca", OrcaKnobs.class);
    return new OrcaSettings(o, k, k.minPostsPerUser());
  }

  static Post post(String id, String text) {
    return new Post(id, text, null, null, List.of(), false);
  }

  static User user(List<Post> posts) {
    return new User("ana", "Ana", List.of(), "", posts, new Origin("users.jsonl", 1), List.of());
  }

  static PostTask task(Post p, boolean knowledge, boolean rmr, boolean ept) {
    Persona persona =
        new Persona(
            new KeptUser(user(List.of()), List.of(), 0, 0),
            Collections.nCopies(35, 1.0),
            List.of(),
            "You are calm.",
            "occupation: baker",
            "Openness: High (5.0)",
            4);
    return new PostTask(
        persona,
        p,
        knowledge,
        knowledge ? "How sourdough starters work." : "",
        rmr,
        ept,
        "I felt proud of the loaf.",
        6);
  }

  @Test
  public void theAuthorsPostFilters() {
    OrcaSettings s = settings();
    assertEquals("short", PostFilter.drop(post("1", "too short"), "ana", s));
    assertNull(
        PostFilter.drop(
            new Post("2", "yes!", null, new Quote("x", "quoted", List.of()), List.of(), false),
            "ana",
            s));
    String longText = "A post long enough to pass the fifty character rule without any trouble.";
    assertNull(
        PostFilter.drop(
            new Post("3", longText, new Upstream("ben", "hi", false), null, List.of(), false),
            "ana",
            s));
    assertEquals(
        "reply",
        PostFilter.drop(
            new Post("4", longText, new Upstream("ben", "", false), null, List.of(), false),
            "ana",
            s));
    assertEquals(
        "reply",
        PostFilter.drop(
            new Post("5", longText, new Upstream("ana", "me", false), null, List.of(), false),
            "ana",
            s));
    assertEquals(
        "reply",
        PostFilter.drop(
            new Post("6", longText, new Upstream("ben", "hi", true), null, List.of(), false),
            "ana",
            s));
    OrcaSettings lenient =
        settings(
            "--minPostChars=0",
            "--keepSelfReplies=true",
            "--keepThreadReplies=true",
            "--keepRepliesWithoutUpstream=true");
    assertNull(PostFilter.drop(post("1", "too short"), "ana", lenient));
    assertNull(
        PostFilter.drop(
            new Post("5", longText, new Upstream("ana", "", true), null, List.of(), false),
            "ana",
            lenient));
  }

  @Test
  public void sectionsAppearOnlyWhenTheirFlagsSaySo() {
    OrcaSettings s = settings();
    String none = PcipRecords.instruction(s, task(post("1", "Bread."), false, false, false));
    assertThat(none, containsString("Write a new post."));
    assertThat(none, not(containsString("## Profile")));
    assertThat(none, not(containsString("## Personality")));
    assertThat(none, not(containsString("## Potential Knowledge")));
    String all = PcipRecords.instruction(s, task(post("1", "Bread."), true, true, true));
    assertThat(all, containsString("## Profile\noccupation: baker"));
    assertThat(all, containsString("## Personality\nYou are calm."));
    assertThat(all, containsString("## Potential Knowledge\nHow sourdough starters work."));
    assertThat(all, containsString("First describe your psychological activity"));
    String psit =
        PcipRecords.instruction(
            settings("--variant=psit"), task(post("1", "Bread."), false, false, true));
    assertThat(psit, containsString("## Personality\nOpenness: High (5.0)"));
    String ablated =
        PcipRecords.instruction(
            settings(
                "--withoutProfile=true",
                "--withoutPersonality=true",
                "--withoutKnowledge=true",
                "--withoutPsychology=true"),
            task(post("1", "Bread."), true, true, true));
    assertThat(ablated, not(containsString("##")));
    assertThat(ablated, not(containsString("psychological")));
  }

  @Test
  public void repliesShowTheUpstreamPostAndTheTargetIsActivityThenTheCleanedPost()
      throws Exception {
    Post reply =
        new Post(
            "r",
            "@ben @cy Agreed, see https://t.co/abc for the  recipe",
            new Upstream("ben", "Best bread?", false),
            null,
            List.of("a loaf on a board"),
            false);
    PostTask t = task(reply, false, false, false);
    String instruction = PcipRecords.instruction(settings(), t);
    assertThat(instruction, containsString("Reply to the post below."));
    assertThat(instruction, containsString("## Post you are replying to\n@ben: Best bread?"));
    assertThat(instruction, containsString("describe its images"));
    JsonNode out = MAPPER.readTree(PcipRecords.output(settings(), t));
    assertEquals(List.of("Psychological Activities", "Post Content", "Media"), fieldNames(out));
    assertEquals("I felt proud of the loaf.", out.get("Psychological Activities").asText());
    assertEquals("Agreed, see for the recipe", out.get("Post Content").asText());
    assertEquals("a loaf on a board", out.get("Media").get(0).asText());
    JsonNode without = MAPPER.readTree(PcipRecords.output(settings("--withoutPsychology=true"), t));
    assertEquals(List.of("Post Content", "Media"), fieldNames(without));
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  public void profileMustNotLeakPostsOrPersonalityAndSummaryIsSecondPerson() throws Exception {
    OrcaSettings s = settings();
    List<Post> posts =
        List.of(
            post(
                "1",
                "Sharpened every chisel in the shop this morning before the customers came in."));
    Persona p =
        new Persona(
            new KeptUser(user(posts), posts, 0, 0),
            Collections.nCopies(35, 0.0),
            List.of("calm"),
            "",
            "",
            "",
            1);
    var profile = OrcaTasks.simulateProfile(s);
    String ok = "{\"name\": \"Pete\", \"age\": \"50\", \"occupation\": \"carpenter\"}";
    assertNull(profile.check(p).problem(MAPPER.readTree(ok)));
    assertThat(
        profile
            .check(p)
            .problem(MAPPER.readTree("{\"background\": \"Very extraverted and agreeable.\"}")),
        containsString("personality"));
    assertThat(
        profile
            .check(p)
            .problem(
                MAPPER.readTree(
                    "{\"background\": \"He sharpened every chisel in the shop this morning before the rush.\"}")),
        containsString("copies post text"));
    var summary = OrcaTasks.summariseTraits(s);
    assertThat(
        summary.check(p).problem(MAPPER.readTree("{\"summary\": \"The user is calm.\"}")),
        containsString("second person"));
    assertThat(
        summary
            .check(p)
            .problem(MAPPER.readTree("{\"summary\": \"You are calm, as an AI sees it.\"}")),
        containsString("AI"));
    assertNull(
        summary.check(p).problem(MAPPER.readTree("{\"summary\": \"You are calm and kind.\"}")));
  }

  @Test
  public void usersAreReadWithDefaultOrMappedNamesAndPersonasNeedAProfile() throws Exception {
    UserMapper m = new UserMapper(Map.of(), 20_000);
    User u =
        m.map(
            MAPPER.readTree(
                "{\"userId\": \"ana\", \"name\": \"Ana\", \"followers\": 10, \"posts\": ["
                    + "{\"id\": \"1\", \"text\": \"hello\", \"replyTo\": {\"user\": \"ben\", \"text\": \"hi\"}, \"media\": [\"a cat\"]},"
                    + "{\"id\": \"2\"}, {\"text\": \"quoted\", \"quote\": \"the original\"}]}"),
            new Origin("f", 3));
    assertEquals(2, u.posts().size());
    assertEquals("ben", u.posts().get(0).replyTo().user());
    assertEquals(List.of("a cat"), u.posts().get(0).media());
    assertEquals("the original", u.posts().get(1).quote().text());
    assertEquals("p3", u.posts().get(1).id());
    assertThat(u.warnings().get(0), containsString("post 2 has no 'text'"));
    assertEquals("followers", u.profile().get(0).key());

    UserMapper mapped =
        new UserMapper(
            dev.rolesynth.pool.RoleMapper.parseFieldMap(
                "id=handle,posts=tweets,post.text=full_text", UserMapper.CANONICAL),
            20_000);
    User t =
        mapped.map(
            MAPPER.readTree("{\"handle\": \"@x\", \"tweets\": [{\"full_text\": \"hi there\"}]}"),
            new Origin("f", 1));
    assertEquals("@x", t.id());
    assertEquals("hi there", t.posts().get(0).text());

    User persona =
        m.map(
            MAPPER.readTree("{\"id\": \"dee\", \"name\": \"Dee\", \"description\": \"A keeper.\"}"),
            new Origin("f", 2));
    assertTrue(persona.isPersona());
    assertThat(persona.persona(), containsString("A keeper."));
    User ditto =
        m.map(
            MAPPER.readTree(
                "{\"meta\": {\"label\": \"Ada Lovelace\", \"summary\": \"Wrote notes.\"}}"),
            new Origin("f", 5));
    assertEquals("Ada Lovelace", ditto.name());
    assertTrue(ditto.isPersona());
    assertThat(ditto.persona(), containsString("summary: Wrote notes."));
    try {
      m.map(MAPPER.readTree("{\"userId\": \"e\"}"), new Origin("f", 4));
      throw new AssertionError("expected a bad record");
    } catch (BadRecordException e) {
      assertThat(e.getMessage(), containsString("no posts"));
    }
  }

  @Test
  public void badOptionsAreConfigErrors() {
    try {
      settings("--variant=ptxt");
      throw new AssertionError("expected a config error");
    } catch (ConfigException e) {
      assertThat(e.getMessage(), containsString("--variant must be ptit or psit"));
    }
  }
}
