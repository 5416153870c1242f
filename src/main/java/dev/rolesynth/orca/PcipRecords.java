package dev.rolesynth.orca;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.orca.Orca.Post;
import dev.rolesynth.orca.Orca.PostTask;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Orca's PCIP records (docs/pipelines/orca.md; no LLM): the instruction has a Profile section only
 * when the post shows profile content (rmr), a Personality section only when it shows explicit
 * personality evidence (ept; the trait summary for PTIT, the score interpretation for PSIT), the
 * Potential Knowledge section, and, for replies, the post being answered. The target is the
 * psychological activity followed by the real post.
 */
final class PcipRecords {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern URL = Pattern.compile("https?://\\S+");
  private static final Pattern LEADING_MENTIONS = Pattern.compile("^(\\s*@\\w+)+\\s*");

  private PcipRecords() {}

  /** The real post as a training target: links and leading @-mentions removed, spaces collapsed. */
  static String clean(String text) {
    return LEADING_MENTIONS
        .matcher(URL.matcher(text).replaceAll(""))
        .replaceFirst("")
        .replaceAll("\\s+", " ")
        .strip();
  }

  static boolean profileSection(OrcaSettings s, PostTask t) {
    return !s.opt.withoutProfile() && Boolean.TRUE.equals(t.rmr()) && t.persona().profile() != null;
  }

  static boolean personalitySection(OrcaSettings s, PostTask t) {
    return !s.opt.withoutPersonality() && Boolean.TRUE.equals(t.ept());
  }

  static boolean knowledgeSection(OrcaSettings s, PostTask t) {
    return !s.opt.withoutKnowledge() && t.containsKnowledge() && !t.knowledge().isBlank();
  }

  static String instruction(OrcaSettings s, PostTask t) {
    Post p = t.post();
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("name", t.persona().user().name());
    ctx.put("reply", p.isReply());
    if (p.isReply()) {
      ctx.put(
          "upstreamUser", p.replyTo().user().isBlank() ? "another user" : "@" + p.replyTo().user());
      ctx.put("upstreamText", p.replyTo().text());
    }
    if (p.quote() != null) {
      ctx.put("quoteUser", p.quote().user().isBlank() ? "a post" : "@" + p.quote().user());
      ctx.put("quoteText", p.quote().text());
    }
    if (profileSection(s, t)) {
      ctx.put("profile", t.persona().profile());
    }
    if (personalitySection(s, t)) {
      ctx.put("personality", s.psit ? t.persona().interpretation() : t.persona().traitSummary());
    }
    if (knowledgeSection(s, t)) {
      ctx.put("knowledge", t.knowledge());
    }
    ctx.put("psychology", !s.opt.withoutPsychology());
    ctx.put("media", !p.media().isEmpty());
    return s.render("pcip.instruction", ctx);
  }

  /** {"Psychological Activities": bpa, "Post Content": post, "Media": [...]} as a JSON string. */
  static String output(OrcaSettings s, PostTask t) {
    ObjectNode o = MAPPER.createObjectNode();
    if (!s.opt.withoutPsychology()) {
      o.put("Psychological Activities", t.activity());
    }
    o.put("Post Content", clean(t.post().text()));
    ArrayNode media = o.putArray("Media");
    t.post().media().forEach(media::add);
    return o.toString();
  }
}
