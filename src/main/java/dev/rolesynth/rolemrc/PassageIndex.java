package dev.rolesynth.rolemrc;

import dev.rolesynth.pipeline.Ids;
import dev.rolesynth.rolemrc.RoleMrc.Match;
import dev.rolesynth.rolemrc.RoleMrc.MrcItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The MRC pool in an in-memory Lucene index (English stemming and stop words), scored with BM25,
 * Lucene's default, against a role's knowledge: the most relevant item is the best scored, the least
 * relevant the worst (ties, such as all the items sharing no word with the role, broken by a hash of
 * role and item). The role's text becomes term queries, never parsed query syntax, so nothing in it
 * is an operator.
 */
final class PassageIndex {
  private static final String TEXT = "text";
  private final List<MrcItem> items;
  private final Analyzer analyzer = new EnglishAnalyzer();
  private final IndexSearcher searcher;

  /** @param items the pool, in any order: it is indexed sorted by id, so scores do not depend on the runner */
  PassageIndex(List<MrcItem> items) {
    this.items = items.stream().sorted(Comparator.comparing(MrcItem::id)).toList();
    try {
      ByteBuffersDirectory dir = new ByteBuffersDirectory();
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
        for (MrcItem i : this.items) {
          Document d = new Document();
          d.add(new TextField(TEXT, i.query() + "\n" + String.join("\n", i.passages()), Field.Store.NO));
          w.addDocument(d);
        }
      }
      searcher = new IndexSearcher(DirectoryReader.open(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int size() {
    return items.size();
  }

  /** The most and the least relevant item for a role: {@code [most, least]}; the pool has at least two. */
  Match[] match(String roleId, String knowledge) {
    double[] scores = new double[items.size()];
    try {
      BooleanQuery.Builder q = new BooleanQuery.Builder();
      for (String t : terms(knowledge)) {
        q.add(new TermQuery(new Term(TEXT, t)), BooleanClause.Occur.SHOULD);
      }
      for (ScoreDoc d : searcher.search(q.build(), items.size()).scoreDocs) {
        scores[d.doc] = d.score;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int most = 0;
    for (int i = 1; i < scores.length; i++) {
      most = scores[i] > scores[most] ? i : most;
    }
    int least = -1;
    for (int i = 0; i < scores.length; i++) {
      if (i != most && (least < 0 || scores[i] < scores[least]
          || scores[i] == scores[least] && tie(roleId, i).compareTo(tie(roleId, least)) < 0)) {
        least = i;
      }
    }
    return new Match[] {new Match(items.get(most), scores[most]), new Match(items.get(least), scores[least])};
  }

  private String tie(String roleId, int i) {
    return Ids.sha256Hex(roleId, items.get(i).id());
  }

  /** The distinct analysed terms of a text, at most as many as a query may hold. */
  private Set<String> terms(String text) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    try (TokenStream ts = analyzer.tokenStream(TEXT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken() && out.size() < IndexSearcher.getMaxClauseCount()) {
        out.add(term.toString());
      }
      ts.end();
    }
    return out;
  }
}
