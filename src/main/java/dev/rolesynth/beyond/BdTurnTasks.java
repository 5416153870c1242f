package dev.rolesynth.beyond;

import static dev.rolesynth.beyond.BdTasks.context;
import static dev.rolesynth.beyond.BdTasks.norm;
import static dev.rolesynth.beyond.BdTasks.rolePlaySystem;
import static dev.rolesynth.beyond.BdTasks.words;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.beyond.Bd.Conversation;
import dev.rolesynth.beyond.Bd.Line;
import dev.rolesynth.beyond.Bd.Pair;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.pipeline.Stage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scratch mode's dialogue: the partner's and the role's turns, each seeing the conversation from
 * its side.
 */
final class BdTurnTasks {
  private BdTurnTasks() {}

  /** The conversation so far from one speaker's side: their lines are the assistant's. */
  static List<ChatMessage> history(Conversation c, String system, String self, String opener) {
    List<ChatMessage> m = new ArrayList<>(List.of(ChatMessage.system(system)));
    if (c.lines().isEmpty() || c.lines().get(0).speaker().equals(self)) {
      m.add(ChatMessage.user(opener));
    }
    for (Line l : c.lines()) {
      m.add(
          l.speaker().equals(self)
              ? ChatMessage.assistant(l.render())
              : ChatMessage.user(l.render()));
    }
    return m;
  }

  static String repeated(Conversation c, JsonNode a, int maxWords) {
    Set<String> said = new LinkedHashSet<>();
    c.lines().forEach(l -> said.add(norm(l.text())));
    String line = a.get("line").asText();
    if (said.contains(norm(line))) {
      return "this line was already said; say something new";
    }
    return maxWords > 0 && words(line) > maxWords
        ? "\"line\" must be at most " + maxWords + " words"
        : null;
  }

  static Conversation next(Conversation c, String speaker, JsonNode j) {
    return c.with(new Line(speaker, Answers.text(j, "line"), j.path("action").asText("").strip()));
  }

  /**
   * The partner's turn (the authors' ChatRoleSysPrompt): short, on varied topics, never repeating.
   */
  static Stage<Conversation, Conversation> partnerTurn(BeyondDialogueSettings s) {
    return Stage.<Conversation>chatting(
            "bd_partner_turn",
            s,
            c -> {
              Pair p = c.pair();
              Map<String, Object> ctx = context(p.profile());
              ctx.put("partner", p.partner().name());
              ctx.put("partnerDescription", p.partner().description());
              ctx.put("scene", p.scene());
              ctx.put("maxWords", s.opt.maxPartnerWords());
              return history(
                  c,
                  s.system("bd_partner_turn", ctx),
                  p.partner().name(),
                  "(The scene begins. Speak first to " + p.profile().name() + ".)");
            })
        .giving((c, j) -> next(c, c.pair().partner().name(), j))
        .calledAs(Conversation::nextCallId)
        .checkedBy((c, a) -> repeated(c, a, s.opt.maxPartnerWords()));
  }

  /**
   * The role's turn, played from the original profile with the planned scene, emotions and
   * intimacy.
   */
  static Stage<Conversation, Conversation> roleTurn(BeyondDialogueSettings s) {
    return Stage.<Conversation>chatting(
            "bd_role_turn",
            s,
            c -> {
              Pair p = c.pair();
              Profile pr = p.profile();
              return history(
                  c,
                  rolePlaySystem(
                      s,
                      pr,
                      pr.character(),
                      pr.style(),
                      pr.mbti(),
                      p.scene(),
                      p.emotions(),
                      p.partner().name(),
                      p.relationship()),
                  pr.name(),
                  "");
            })
        .giving((c, j) -> next(c, c.pair().profile().name(), j))
        .calledAs(Conversation::nextCallId)
        .checkedBy((c, a) -> repeated(c, a, 0));
  }
}
