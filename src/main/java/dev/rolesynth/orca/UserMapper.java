package dev.rolesynth.orca;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.orca.Orca.Post;
import dev.rolesynth.orca.Orca.Quote;
import dev.rolesynth.orca.Orca.Upstream;
import dev.rolesynth.orca.Orca.User;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.PoolMapper;
import dev.rolesynth.pool.RecordIds;
import dev.rolesynth.pool.Role;
import dev.rolesynth.pool.RoleMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Orca's users: {@code userId}, {@code name}, {@code posts[]} with {@code id}, {@code text},
 * {@code replyTo} ({@code {user, text, inThread}} or the text), {@code quote} (text or {@code
 * {user, text, media}}) and {@code media} (captions, or objects with a {@code caption}); any other
 * field is profile. Other names come through the field map ({@code id=handle,post.text=full_text}).
 * A record without posts is a persona (persona mode): any role pool works.
 */
public final class UserMapper extends PoolMapper<User> {
  /** Each canonical field and the name Orca's released users give it (--fieldMap renames). */
  private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    String released =
        "id=userId,name=name,description=description,posts=posts,post.id=id,post.text=text,"
            + "post.replyTo=replyTo,post.quote=quote,post.media=media";
    for (String pair : released.split(",")) {
      DEFAULTS.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
  }

  public static final List<String> CANONICAL = List.copyOf(DEFAULTS.keySet());

  private final Map<String, String> names;
  private final int maxFieldChars;

  public UserMapper(Map<String, String> fieldMap, int maxFieldChars) {
    super(User.class);
    this.names = new LinkedHashMap<>(DEFAULTS);
    this.names.putAll(fieldMap);
    this.maxFieldChars = maxFieldChars;
  }

  @Override
  public Map<String, String> identity(JsonNode raw, User mapped) {
    JsonNode record = raw.path("meta").isObject() ? raw.get("meta") : raw;
    boolean given =
        (record.path(names.get("id")).isValueNode()
                && !record.path(names.get("id")).asText().isBlank())
            || (names.get("id").equals("userId")
                && record.path("id").isValueNode()
                && !record.path("id").asText().isBlank());
    return given ? Map.of("id", mapped.id()) : derivedFrom(record, mapped.name());
  }

  /** Users (and persona-mode roles) without an id: the shared rule of name, work and source. */
  private Map<String, String> derivedFrom(JsonNode record, String name) {
    String nameField =
        record.has(names.get("name")) || !record.has("label") ? names.get("name") : "label";
    return RecordIds.identity(nameField, name, record, List.of());
  }

  @Override
  public User map(JsonNode raw, Origin origin) throws BadRecordException {
    // Ditto's role pools wrap the role in "meta" and name it "label": persona mode reads them too.
    JsonNode record = raw.path("meta").isObject() ? raw.get("meta") : raw;
    String id = text(record, names.get("id"), "id");
    if (id == null && names.get("id").equals("userId")) {
      id = text(record, "id", "id");
    }
    String name = text(record, names.get("name"), "name");
    if (name == null && names.get("name").equals("name")) {
      name = text(record, "label", "name");
    }
    if (id == null || id.isBlank()) {
      if (name == null || name.isBlank()) {
        throw new BadRecordException(
            "missing_field", "field '" + names.get("id") + "' (the user id) is missing or empty");
      }
      id = RecordIds.derived("u-", derivedFrom(record, name));
    }
    List<String> warnings = new ArrayList<>();
    JsonNode postsNode = record.get(names.get("posts"));
    List<Post> posts = new ArrayList<>();
    if (postsNode != null && !postsNode.isNull()) {
      if (!postsNode.isArray()) {
        throw new BadRecordException(
            "wrong_type", "field '" + names.get("posts") + "' (posts) must be a list");
      }
      int i = 0;
      for (JsonNode p : postsNode) {
        i++;
        Post post = post(p, i, warnings);
        if (post != null) {
          posts.add(post);
        }
      }
    }
    Set<String> used =
        new HashSet<>(
            List.of(names.get("id"), names.get("name"), names.get("posts"), "userId", "label"));
    List<Role.Field> profile = new ArrayList<>();
    StringBuilder persona = new StringBuilder();
    record
        .fields()
        .forEachRemaining(
            e -> {
              if (used.contains(e.getKey())) {
                return;
              }
              String v = RoleMapper.flatten(e.getValue());
              if (v.isBlank()) {
                return;
              }
              v = capped(v, "field '" + e.getKey() + "'", maxFieldChars, warnings);
              profile.add(new Role.Field(e.getKey(), v));
              persona.append(e.getKey()).append(": ").append(v).append('\n');
            });
    if (posts.isEmpty() && persona.length() == 0) {
      throw new BadRecordException(
          "missing_field",
          "the record has no posts ('"
              + names.get("posts")
              + "') and no profile to simulate posts from");
    }
    return new User(
        id.strip(),
        name == null || name.isBlank() ? id.strip() : name.strip(),
        profile,
        persona.toString().strip(),
        posts,
        origin,
        warnings);
  }

  private Post post(JsonNode p, int index, List<String> warnings) throws BadRecordException {
    if (!p.isObject()) {
      throw new BadRecordException(
          "wrong_type", "post " + index + " of '" + names.get("posts") + "' must be an object");
    }
    String text = text(p, names.get("post.text"), "post.text");
    if (text == null || text.isBlank()) {
      warnings.add("post " + index + " has no '" + names.get("post.text") + "' and was skipped");
      return null;
    }
    String id = text(p, names.get("post.id"), "post.id");
    JsonNode r = p.get(names.get("post.replyTo"));
    Upstream reply = null;
    if (r != null && !r.isNull()) {
      reply =
          r.isObject()
              ? new Upstream(
                  r.path("user").asText(""),
                  r.path("text").asText(""),
                  r.path("inThread").asBoolean(false))
              : new Upstream("", r.asText(""), false);
    }
    JsonNode q = p.get(names.get("post.quote"));
    Quote quote = null;
    if (q != null && !q.isNull()) {
      quote =
          q.isObject()
              ? new Quote(
                  q.path("user").asText(""), q.path("text").asText(""), captions(q.path("media")))
              : new Quote("", q.asText(""), List.of());
    }
    return new Post(
        id == null || id.isBlank() ? "p" + index : id.strip(),
        text.strip(),
        reply,
        quote,
        captions(p.path(names.get("post.media"))),
        false);
  }

  private static List<String> captions(JsonNode media) {
    List<String> out = new ArrayList<>();
    if (media.isArray()) {
      for (JsonNode m : media) {
        String c =
            m.isObject() ? m.path("caption").asText(m.path("content").asText("")) : m.asText("");
        if (!c.isBlank()) {
          out.add(c.strip());
        }
      }
    } else if (media.isTextual() && !media.asText().isBlank()) {
      out.add(media.asText().strip());
    }
    return out;
  }

  private static String text(JsonNode node, String field, String canonical)
      throws BadRecordException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isContainerNode()) {
      throw new BadRecordException(
          "wrong_type",
          "field '"
              + field
              + "' ("
              + canonical
              + ") must be a string, got "
              + (v.isArray() ? "an array" : "an object"));
    }
    return v.asText();
  }
}
