package dev.rolesynth.beyond;

import dev.rolesynth.pipeline.SourceTexts;
import dev.rolesynth.pool.Derived;
import dev.rolesynth.pool.Role;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lombok.With;

/** The records that flow between Beyond Dialogue's stages. */
final class Bd {
  private Bd() {}

  static final List<String> EMOTIONS =
      List.of("happiness", "sadness", "disgust", "fear", "surprise", "anger");
  static final List<String> TASKS =
      List.of("character", "style", "emotion", "relationship", "personality");

  /** The profile slots Beyond Dialogue aligns: trait tags, speaking-style tags, MBTI and world. */
  record Profile(
      Role role,
      List<String> names,
      List<String> character,
      List<String> style,
      String mbti,
      String world,
      String language,
      String sourceKey)
      implements Derived, SourceTexts.Claimant {
    Profile {
      names = List.copyOf(names);
      character = List.copyOf(character);
      style = List.copyOf(style);
    }

    @Override
    public String name() {
      return role.name();
    }

    boolean complete() {
      return !character.isEmpty() && !style.isEmpty() && mbti != null && !world.isBlank();
    }
  }

  record Partner(String name, String description) implements Serializable {}

  /** Scratch mode: a role and the partners created for it so far (each call sees them all). */
  record PartnerChain(Profile profile, List<Partner> partners) implements Derived {

    PartnerChain {
      partners = List.copyOf(partners);
    }

    PartnerChain with(Partner p) {
      List<Partner> all = new ArrayList<>(partners);
      all.add(p);
      return new PartnerChain(profile, all);
    }

    String nextCallId() {
      return profile.id() + "/partner-" + (partners.size() + 1);
    }
  }

  /** Six emotion scores, 0-10, in the authors' order. */
  record Emotions(List<Integer> values) implements Serializable {
    Emotions {
      if (values.size() != EMOTIONS.size()) {
        throw new IllegalArgumentException("six emotion scores expected, got " + values.size());
      }
      values = List.copyOf(values);
    }

    Map<String, Integer> asMap() {
      Map<String, Integer> m = new LinkedHashMap<>();
      for (int i = 0; i < EMOTIONS.size(); i++) {
        m.put(EMOTIONS.get(i), values.get(i));
      }
      return m;
    }
  }

  /** Scratch mode: one role-partner pair, filled in stage by stage (scene, emotions, intimacy). */
  record Pair(
      Profile profile,
      int index,
      Partner partner,
      String scene,
      Emotions emotions,
      Integer relationship)
      implements Derived {

    String dialogueId() {
      return profile.id() + "/p" + String.format("%02d", index);
    }

    Pair withScene(String s) {
      return new Pair(profile, index, partner, s, emotions, relationship);
    }

    Pair withEmotions(Emotions e) {
      return new Pair(profile, index, partner, scene, e, relationship);
    }

    Pair withRelationship(int r) {
      return new Pair(profile, index, partner, scene, emotions, r);
    }
  }

  /** One line of a dialogue; {@code action} is stage business in brackets, possibly empty. */
  record Line(String speaker, String text, String action) implements Serializable {
    String render() {
      return action.isBlank() ? text : "(" + action + ") " + text;
    }
  }

  /** Scratch mode: a dialogue being simulated, a turn at a time. */
  record Conversation(Pair pair, List<Line> lines) implements Derived {

    Conversation {
      lines = List.copyOf(lines);
    }

    Conversation with(Line l) {
      List<Line> all = new ArrayList<>(lines);
      all.add(l);
      return new Conversation(pair, all);
    }

    String nextCallId() {
      return pair.dialogueId() + "/turn-" + (lines.size() + 1);
    }
  }

  /** Source mode: a window of a source text that mentions the role often enough. */
  record Chunk(Profile profile, String id, int chapter, String text, int tokens, int mentions)
      implements Serializable {
    String key() {
      return profile.id() + "/" + id;
    }
  }

  record ChunkSample(Chunk chunk, int sample) implements Derived {

    String callId() {
      return chunk.key() + "/score-" + sample;
    }
  }

  record ScoredChunk(Chunk chunk, double score, int samples, String scene) implements Derived {

    ScoredChunk withScene(String s) {
      return new ScoredChunk(chunk, score, samples, s);
    }
  }

  /** Source mode: what the dialogue was cut from and the checks it passed. */
  @With
  record SourceInfo(
      String chunkId,
      double chunkScore,
      String chunkScene,
      int coherence,
      int conflict,
      String conflictAnalysis)
      implements Serializable {}

  /** A two-person dialogue between the role and one partner, from either mode. */
  record Dialogue(
      String key,
      Profile profile,
      String mode,
      Partner partner,
      String scene,
      List<Line> lines,
      Emotions plannedEmotions,
      Integer plannedRelationship,
      SourceInfo source,
      int llmCalls)
      implements Derived {

    Dialogue {
      lines = List.copyOf(lines);
    }

    Dialogue withScene(String s, SourceInfo src, int moreCalls) {
      return new Dialogue(
          key,
          profile,
          mode,
          partner,
          s,
          lines,
          plannedEmotions,
          plannedRelationship,
          src,
          llmCalls + moreCalls);
    }

    /** "Speaker: (action) line" rows, as the alignment prompts show them. */
    String transcript() {
      StringBuilder sb = new StringBuilder();
      for (Line l : lines) {
        sb.append(l.speaker()).append(": ").append(l.render()).append('\n');
      }
      return sb.toString().strip();
    }
  }

  /** The answer to one CSERP task for one dialogue. */
  record Label(
      String dialogueId,
      String task,
      String instruction,
      String analysis,
      String answerJson,
      List<String> tags,
      Emotions emotions,
      Integer relationship,
      String mbti)
      implements Serializable {}
}
