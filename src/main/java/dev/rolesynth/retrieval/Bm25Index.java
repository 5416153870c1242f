package dev.rolesynth.retrieval;

import dev.rolesynth.core.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * Texts in an in-memory Lucene index (English stemming and stop words), scored with BM25, Lucene's
 * default: for a query text, the best and the worst scored document (ties, such as all the
 * documents sharing no word with the query, broken by a hash of the query's key and the document).
 * The query text becomes term queries, never parsed query syntax, so nothing in it is an operator:
 * it is untrusted (a persona, a model's answer).
 */
public final class Bm25Index {
  private static final String TEXT = "text";

  /** A document's id and its score against a query. */
  public record Scored(String id, double score) {}

  private final List<String> ids;
  private final Analyzer analyzer = new EnglishAnalyzer();
  private final IndexSearcher searcher;

  /**
   * @param texts documents by id, in any order: indexed sorted by id, so scores do not depend on
   *     the runner
   */
  public Bm25Index(Map<String, String> texts) {
    this.ids = texts.keySet().stream().sorted().toList();
    try {
      ByteBuffersDirectory dir = new ByteBuffersDirectory();
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
        for (String id : ids) {
          Document d = new Document();
          d.add(new TextField(TEXT, texts.get(id), Field.Store.NO));
          w.addDocument(d);
        }
      }
      searcher = new IndexSearcher(DirectoryReader.open(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int size() {
    return ids.size();
  }

  /**
   * The best and the worst scored document for {@code text}: {@code [best, worst]}; the index holds
   * at least two.
   */
  public Scored[] bestAndWorst(String key, String text) {
    double[] scores = new double[ids.size()];
    try {
      BooleanQuery.Builder q = new BooleanQuery.Builder();
      for (String t : terms(text)) {
        q.add(new TermQuery(new Term(TEXT, t)), BooleanClause.Occur.SHOULD);
      }
      for (ScoreDoc d : searcher.search(q.build(), ids.size()).scoreDocs) {
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
      if (i != most
          && (least < 0
              || scores[i] < scores[least]
              || scores[i] == scores[least] && tie(key, i).compareTo(tie(key, least)) < 0)) {
        least = i;
      }
    }
    return new Scored[] {
      new Scored(ids.get(most), scores[most]), new Scored(ids.get(least), scores[least])
    };
  }

  private String tie(String key, int i) {
    return Ids.sha256Hex(key, ids.get(i));
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
