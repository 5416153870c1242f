package dev.rolesynth.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.sim.PromptText;
import dev.rolesynth.sim.SimData;
import dev.rolesynth.sim.StageSimulations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Simulated answers for the Ditto stages, read off the structure of Ditto's prompt templates. */
@AutoService(StageSimulations.class)
public final class DittoSim implements StageSimulations {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern KNOWER = Pattern.compile("what you, (.+?), know");
  private static final Pattern CANDIDATE = Pattern.compile("^(\\d+)\\. (.+)$", Pattern.MULTILINE);
  private static final SimData TEXTS = SimData.of(DittoSettings.PIPELINE);
  private static final List<String> ASK_OWN = TEXTS.get("askOwn");
  private static final List<String> ASK_OTHER = TEXTS.get("askOther");
  private static final List<String> FALLBACK_FACTS = TEXTS.get("fallbackFacts");
  private static final List<String> OPENERS = TEXTS.get("openers");
  private static final List<String> DECLINE_MARKS = TEXTS.get("declineMarks");

  @Override
  public String pipeline() {
    return DittoSettings.PIPELINE;
  }

  @Override
  public Map<String, Answer> answers() {
    Map<String, Answer> m = new LinkedHashMap<>();
    m.put("ditto_profile", DittoSim::profile);
    m.put("ditto_queries", DittoSim::queries);
    m.put("ditto_contrast_check", DittoSim::contrastCheck);
    m.put("ditto_answer", DittoSim::answer);
    m.put("ditto_judge_identity", DittoSim::identity);
    m.put("ditto_judge_refusal", DittoSim::refusal);
    m.put("ditto_judge_knowledge", DittoSim::knowledge);
    return m;
  }

  private static JsonNode profile(Input call) {
    String name = orDefault(PromptText.labelled(call.firstUser(), "Character: "), "the character");
    Set<String> facts = new LinkedHashSet<>();
    for (String item : PromptText.bullets(call.firstUser(), "Profile material:", "Tasks:")) {
      int colon = item.indexOf(": ");
      String key = colon > 0 ? item.substring(0, colon) : "";
      String value = colon > 0 ? item.substring(colon + 2) : item;
      List<String> sentences = PromptText.sentences(value);
      if (key.equals("claims")) {
        for (String claim : value.split(";\\s*")) {
          if (claim.contains(": ") && !claim.isBlank()) {
            facts.add(PromptText.clip(name + "'s " + claim.strip() + ".", 400));
          }
        }
      } else if (sentences.size() > 1 || value.endsWith(".")) {
        sentences.forEach(s -> facts.add(PromptText.clip(s, 400)));
      } else if (!value.isBlank()) {
        facts.add(PromptText.clip(name + "'s " + key + ": " + value + ".", 400));
      }
    }
    String description = PromptText.labelled(call.firstUser(), "Description: ");
    if (description != null) {
      facts.add(
          PromptText.clip(name + " is " + PromptText.lowerFirst(trimDot(description)) + ".", 400));
    }
    if (facts.size() < 3) {
      FALLBACK_FACTS.forEach(f -> facts.add(String.format(f, name)));
    }
    List<String> knowledge = new ArrayList<>(facts).subList(0, Math.min(10, facts.size()));
    ObjectNode out = NODES.objectNode();
    ArrayNode k = out.putArray("knowledge");
    knowledge.stream().filter(f -> f.length() >= 8).forEach(k::add);
    String first = knowledge.get(0);
    out.put(
        "systemPrompt",
        PromptText.clip(
            "You are "
                + name
                + ". "
                + PromptText.clip(first, 300)
                + " Speak as "
                + name
                + " would, in the first person, keeping to your own time, place and manner.",
            800));
    return out;
  }

  private static JsonNode queries(Input call) {
    SplittableRandom random = call.random();
    String user = call.firstUser();
    String name = orDefault(PromptText.labelled(user, "Character: "), "friend");
    List<String> own = PromptText.bullets(user, "Knowledge of", "Material about other characters");
    Map<String, List<String>> others = otherCharacters(user);
    int inCount = call.schema().path("properties").path("inKnowledge").path("minItems").asInt(3);
    int cCount = call.schema().path("properties").path("contrastive").path("minItems").asInt(1);
    ObjectNode out = NODES.objectNode();
    ArrayNode in = out.putArray("inKnowledge");
    int offset = own.isEmpty() ? 0 : random.nextInt(own.size());
    for (int i = 0; i < inCount; i++) {
      String fact =
          own.isEmpty() ? name + " has a story of their own" : own.get((offset + i) % own.size());
      String q =
          String.format(
              ASK_OWN.get((i / Math.max(1, own.size())) % ASK_OWN.size()),
              name,
              PromptText.lowerFirst(trimDot(fact)));
      in.addObject()
          .put("question", PromptText.clip(q, 400))
          .put("evidence", PromptText.clip(fact, 400));
    }
    ArrayNode contrastive = out.putArray("contrastive");
    List<String[]> pool = new ArrayList<>();
    others.forEach((who, facts) -> facts.forEach(f -> pool.add(new String[] {who, f})));
    int start = pool.isEmpty() ? 0 : random.nextInt(pool.size());
    for (int i = 0; i < cCount; i++) {
      String[] item =
          pool.isEmpty()
              ? new String[] {"someone else", "the tides of a distant sea turn silver at night"}
              : pool.get((start + i) % pool.size());
      String q =
          String.format(
              ASK_OTHER.get((i / Math.max(1, pool.size())) % ASK_OTHER.size()),
              name,
              PromptText.lowerFirst(trimDot(item[1])));
      contrastive.addObject().put("question", PromptText.clip(q, 400)).put("sourceRole", item[0]);
    }
    return out;
  }

  /**
   * A question the role could know shares content words with its own knowledge, as an answer from
   * it would.
   */
  private static JsonNode contrastCheck(Input call) {
    String user = call.firstUser();
    String name = orDefault(PromptText.labelled(user, "Character: "), "");
    List<String> own = PromptText.bullets(user, "Knowledge of", "Questions:");
    ObjectNode out = NODES.objectNode();
    ArrayNode labels = out.putArray("labels");
    Matcher m = CANDIDATE.matcher(user.substring(Math.max(0, user.indexOf("Questions:"))));
    while (m.find()) {
      String question = name.isEmpty() ? m.group(2) : m.group(2).replace(name, " ");
      boolean known = own.stream().anyMatch(f -> PromptText.overlap(question, f) >= 2);
      labels
          .addObject()
          .put("index", Integer.parseInt(m.group(1)))
          .put("couldKnow", known)
          .put(
              "reason",
              known
                  ? name + "'s own knowledge covers this."
                  : "This lies outside " + name + "'s life and world.");
    }
    return out;
  }

  private static Map<String, List<String>> otherCharacters(String user) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String current = null;
    for (String line : user.split("\n")) {
      if (line.startsWith("## Other character: ")) {
        current = line.substring("## Other character: ".length()).trim();
        out.put(current, new ArrayList<>());
      } else if (line.startsWith("Write questions")) {
        break;
      } else if (current != null && line.startsWith("- ")) {
        out.get(current).add(line.substring(2).trim());
      }
    }
    return out;
  }

  private static JsonNode answer(Input call) {
    SplittableRandom random = call.random();
    Matcher m = KNOWER.matcher(call.system());
    String name = m.find() ? m.group(1) : "myself";
    List<String> knowledge = PromptText.bullets(call.system(), "Knowledge:", "Rules:");
    // The role's own name appears in every question, so it must not count as shared knowledge.
    String question = call.lastUser().replace(name, " ");
    String best = null;
    int bestScore = 0;
    for (String fact : knowledge) {
      int s = PromptText.overlap(question, fact);
      if (s > bestScore) {
        bestScore = s;
        best = fact;
      }
    }
    ObjectNode out = NODES.objectNode();
    if (best != null && bestScore >= 2) {
      out.put(
          "answer",
          PromptText.clip(
              OPENERS.get(random.nextInt(OPENERS.size()))
                  + " As "
                  + name
                  + ", I can tell you this: "
                  + firstPerson(trimDot(best), name)
                  + ". Ask me more, if you wish.",
              2000));
      out.put("declined", false);
    } else {
      out.put(
          "answer",
          "Forgive me, but that lies outside anything I, "
              + name
              + ", have known or seen. I cannot speak to it, and I would rather not pretend.");
      out.put("declined", true);
    }
    return out;
  }

  /** Rewrites the simplest third-person openings ("X was", "X's") into the speaker's own voice. */
  static String firstPerson(String fact, String name) {
    return fact.replace(name + " was ", "I was ")
        .replace(name + " is ", "I am ")
        .replace(name + "'s ", "my ");
  }

  private static JsonNode identity(Input call) {
    String response = orDefault(PromptText.labelled(call.firstUser(), "Response: "), "");
    String candidatesBlock =
        call.firstUser().substring(Math.max(0, call.firstUser().indexOf("Candidates:")));
    Matcher m = CANDIDATE.matcher(candidatesBlock);
    int choice = 1;
    int best = -1;
    String chosen = "";
    while (m.find()) {
      String candidate = m.group(2).trim();
      // A name inside the response wins, the longest one first ("Ann" is inside "Anna").
      int score =
          response.contains(candidate)
              ? 1000 + candidate.length()
              : PromptText.overlap(response, candidate);
      if (score > best) {
        best = score;
        choice = Integer.parseInt(m.group(1));
        chosen = candidate;
      }
    }
    ObjectNode out = NODES.objectNode();
    out.put(
        "analysis",
        best > 0
            ? "The response speaks as " + chosen + "."
            : "Nothing in the response points to a candidate.");
    out.put("choice", Math.max(1, Math.min(4, choice)));
    return out;
  }

  private static JsonNode refusal(Input call) {
    String response =
        orDefault(PromptText.labelled(call.firstUser(), "Response: "), "").toLowerCase(Locale.ROOT);
    return NODES
        .objectNode()
        .put("refusal", DECLINE_MARKS.stream().anyMatch(response::contains) ? 1 : 0);
  }

  private static JsonNode knowledge(Input call) {
    String response = orDefault(PromptText.labelled(call.firstUser(), "Response: "), "");
    String evidence = orDefault(PromptText.labelled(call.firstUser(), "Evidence: "), "");
    int total = Math.max(1, PromptText.words(evidence).size());
    int shared = PromptText.overlap(response, evidence);
    int score = Math.max(1, Math.min(10, 1 + Math.round(9f * shared / total)));
    ObjectNode out = NODES.objectNode();
    out.put(
        "analysis",
        "The response uses " + shared + " of the " + total + " key terms of the evidence.");
    out.put("score", score);
    return out;
  }

  private static String trimDot(String s) {
    String t = s.trim();
    while (t.endsWith(".") || t.endsWith("。")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

  private static String orDefault(String s, String d) {
    return s == null || s.isBlank() ? d : s;
  }
}
