package dev.rolesynth.retrieval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class ChunkerTest {
  private static String chapter(String title, String name, int mentions, int fillerSentences) {
    StringBuilder sb = new StringBuilder(title).append("\n\n");
    for (int i = 0; i < mentions; i++) {
      sb.append("\"Line ").append(i).append(",\" said ").append(name).append(".\n");
    }
    for (int i = 0; i < fillerSentences; i++) {
      sb.append("The rain kept falling on the slate roofs of the harbour town all night long.\n");
    }
    return sb.toString();
  }

  @Test
  public void splitsOnEnglishAndChineseChapterHeadings() {
    String text = "Preface text.\nChapter 1. One\nbody one\nCHAPTER II\nbody two\n第三回 宝玉\n正文";
    List<String> chapters = Chunker.chapters(text);
    assertEquals(4, chapters.size());
    assertTrue(chapters.get(1).startsWith("Chapter 1."));
    assertTrue(chapters.get(3).startsWith("第三回"));
  }

  @Test
  public void shortChaptersMergeIntoTheNext() {
    Chunker s = new Chunker(2000, 50, 1);
    List<String> merged =
        s.mergeShort(List.of("tiny\n", "also tiny\n", "x".repeat(60), "y".repeat(60), "end"));
    assertEquals(List.of("tiny\nalso tiny\n" + "x".repeat(60), "y".repeat(60) + "end"), merged);
  }

  @Test
  public void chunksStayWithinTheTokenBudgetAndNeedEnoughMentions() {
    String text =
        chapter("Chapter 1. Rain", "Mira", 8, 120) + chapter("Chapter 2. Dry", "Tobin", 8, 5);
    Chunker s = new Chunker(300, 100, 6);
    List<Chunker.Piece> pieces = s.split(text, List.of("Mira Okonkwo", "Mira"));
    assertTrue(pieces.size() >= 1);
    for (Chunker.Piece p : pieces) {
      assertTrue("chunk of " + p.tokens() + " tokens", p.tokens() <= 300);
      assertTrue(p.mentions() >= 6);
      assertEquals(1, p.chapter()); // chapter 2 never names Mira
    }
    // The long first chapter is cut: its filler alone is about 2,000 tokens.
    assertTrue(s.cut(text).size() > 5);
  }

  @Test
  public void mentionsCountLongestNamesFirstAndLatinNamesAtWordBoundaries() {
    List<String> names = List.of("Harry", "Harry Potter", "Potter");
    assertEquals(
        3,
        Chunker.mentions(
            "Harry Potter met Harry, then Potter left. Harrying is not a name.", names));
    assertEquals(2, Chunker.mentions("黛玉笑道：林黛玉来了。", List.of("黛玉", "林黛玉")));
  }
}
