package dev.rolesynth.retrieval;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A long work (a novel, a script) in chunks a prompt can hold, without a model: split into chapters
 * on their headings (English "Chapter 3", "Book II"; Chinese "第三章"), chapters shorter than a
 * minimum merged into the next, chapters cut into chunks of at most N cl100k tokens on paragraph
 * (then sentence) boundaries; only the chunks in which a character's names occur often enough.
 */
public final class Chunker {
  private static final Pattern HEADING =
      Pattern.compile(
          "(?m)^[ \\t\\u3000]*(?:第[0-9０-９一二三四五六七八九十百千零〇两]+[章回节卷].*|(?i:(?:chapter|book|part)[ \\t]+[0-9ivxlcdm]+)\\b.*)$");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?。！？…])\\s*");
  private static final Encoding CL100K =
      Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

  /** A chunk: its chapter (from 1), its text, its tokens and how often the names occur. */
  public record Piece(int chapter, String text, int tokens, int mentions) {}

  private final int maxTokens;
  private final int minChapterChars;
  private final int minMentions;

  public Chunker(int maxTokens, int minChapterChars, int minMentions) {
    this.maxTokens = maxTokens;
    this.minChapterChars = minChapterChars;
    this.minMentions = minMentions;
  }

  public static int tokens(String text) {
    return CL100K.countTokens(text);
  }

  /**
   * The chunks of {@code text} that mention one of {@code names} at least the minimum number of
   * times.
   */
  public List<Piece> split(String text, List<String> names) {
    List<Piece> out = new ArrayList<>();
    List<String> chapters = mergeShort(chapters(text));
    for (int c = 0; c < chapters.size(); c++) {
      for (String chunk : cut(chapters.get(c))) {
        int mentions = mentions(chunk, names);
        if (mentions >= minMentions) {
          out.add(new Piece(c + 1, chunk, tokens(chunk), mentions));
        }
      }
    }
    return out;
  }

  static List<String> chapters(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = HEADING.matcher(text);
    int start = 0;
    while (m.find()) {
      if (m.start() > start) {
        out.add(text.substring(start, m.start()));
      }
      start = m.start();
    }
    out.add(text.substring(start));
    out.removeIf(String::isBlank);
    return out;
  }

  List<String> mergeShort(List<String> chapters) {
    List<String> out = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String ch : chapters) {
      pending.append(ch);
      if (pending.length() >= minChapterChars) {
        out.add(pending.toString());
        pending.setLength(0);
      }
    }
    if (pending.length() > 0) {
      if (out.isEmpty()) {
        out.add(pending.toString());
      } else {
        out.set(out.size() - 1, out.get(out.size() - 1) + pending);
      }
    }
    return out;
  }

  /** A paragraph or sentence and its token count, counted once. */
  private record Unit(String text, int tokens) {}

  /** Chunks of at most maxTokens: whole paragraphs where they fit, sentences where they do not. */
  List<String> cut(String chapter) {
    List<Unit> units = new ArrayList<>();
    for (String para : chapter.split("\\n\\s*\\n|\\n")) {
      if (para.isBlank()) {
        continue;
      }
      String p = para.strip();
      int t = tokens(p);
      if (t <= maxTokens) {
        units.add(new Unit(p, t));
      } else {
        for (String s : SENTENCE_END.split(para)) {
          if (!s.isBlank()) {
            hardCut(s.strip(), units);
          }
        }
      }
    }
    List<String> chunks = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int curTokens = 0;
    for (Unit u : units) {
      int t = u.tokens() + 1;
      if (curTokens + t > maxTokens && cur.length() > 0) {
        chunks.add(cur.toString().strip());
        cur.setLength(0);
        curTokens = 0;
      }
      cur.append(u.text()).append('\n');
      curTokens += t;
    }
    if (cur.length() > 0) {
      chunks.add(cur.toString().strip());
    }
    return chunks;
  }

  /** A sentence longer than the budget is cut by characters, the last resort. */
  private void hardCut(String s, List<Unit> out) {
    String rest = s;
    int t = tokens(rest);
    while (t > maxTokens) {
      int end = Math.max(1, rest.length() * maxTokens / t - 1);
      String head = rest.substring(0, end);
      out.add(new Unit(head, tokens(head)));
      rest = rest.substring(end);
      t = tokens(rest);
    }
    out.add(new Unit(rest, t));
  }

  /**
   * Occurrences of any of the names, longest first and without overlaps ("Harry Potter" counts
   * once, not also as "Harry"); Latin names only at word boundaries.
   */
  public static int mentions(String text, List<String> names) {
    List<String> sorted = new ArrayList<>(names);
    sorted.removeIf(String::isBlank);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    if (sorted.isEmpty()) {
      return 0;
    }
    StringBuilder alt = new StringBuilder();
    for (String n : sorted) {
      if (alt.length() > 0) {
        alt.append('|');
      }
      String q = Pattern.quote(n);
      alt.append(n.matches("^[\\p{IsLatin}\\d].*[\\p{IsLatin}\\d]$") ? "\\b" + q + "\\b" : q);
    }
    Matcher m = Pattern.compile(alt.toString()).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
