package dev.rolesynth.beyond;

import dev.rolesynth.beyond.Bd.Chunk;
import dev.rolesynth.beyond.Bd.ChunkSample;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.beyond.Bd.ScoredChunk;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.EachOrFail;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.GroupByKeys.Grouped;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.SourceTexts;
import dev.rolesynth.retrieval.Chunker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Source mode, the paper's construction (docs/pipelines/beyond-dialogue.md): match each role with
 * its source texts, cut them into chunks that mention the role often enough, score each chunk as
 * the mean of n samples, keep the best K per role, extract each kept chunk's scene and dialogue
 * (two-person, aliases mapped to the role), reconstruct the dialogue's sub-scene with a coherence
 * check, check it against the profile, and drop incoherent or conflicting dialogues as dead
 * letters.
 *
 * <p>Chunks are scored before their scenes are extracted (the authors extract scenes first); no
 * stage reads the other's result, so the output is the same and unselected chunks cost no scene
 * call.
 */
final class ExtractSourceDialogues {
  static final String STAGE_CHUNK = "bd_chunk";
  static final String STAGE_READ = "bd_read_source";

  private ExtractSourceDialogues() {}

  static PCollection<Dialogue> expand(
      PCollection<Profile> profiles, BeyondDialogueSettings s, Build b) {
    var matched =
        b.step(
            "MatchSourceTexts",
            profiles,
            in -> SourceTexts.gather(b, in, Profile.class, s.sourceTexts, STAGE_READ));
    var chunks =
        b.collect(matched.apply("SplitIntoChunks", EachOrFail.of(Chunk.class, new ChunkFn(s))));
    int n = s.opt.chunkScoreSamples();
    var samples =
        b.flatMap(
            "SampleChunkScores",
            chunks,
            ChunkSample.class,
            c -> IntStream.rangeClosed(1, n).mapToObj(i -> new ChunkSample(c, i)).toList());
    var sampled = b.call("ScoreChunks", samples, BdSourceTasks.scoreChunk(s), ScoredChunk.class);
    var means =
        b.map(
            "MeanScore",
            b.groupBy("GroupSamples", sampled, c -> c.chunk().key(), ScoredChunk.class),
            ScoredChunk.class,
            ExtractSourceDialogues::mean);
    PCollection<ScoredChunk> best =
        b.groupBy("GroupByRole", means, c -> c.chunk().profile().id(), ScoredChunk.class)
            .apply("KeepTopChunks", ParDo.of(new TopFn(s.opt.chunksPerRole())))
            .setCoder(KryoCoder.of(ScoredChunk.class));
    var scened =
        b.call("ExtractChunkScenes", best, BdSourceTasks.extractChunkScene(s), ScoredChunk.class);
    var extracted =
        b.call("ExtractDialogues", scened, BdSourceTasks.extractDialogue(s), Dialogue.class);
    var rebuilt =
        b.call(
            "ReconstructSubScenes", extracted, BdSourceTasks.reconstructScene(s), Dialogue.class);
    var coherent = b.keepIf("DropIncoherent", rebuilt, d -> reject(d, "bd_subscene", "incoherent"));
    var checked =
        b.call("CheckConflicts", coherent, BdSourceTasks.checkConflict(s), Dialogue.class);
    return b.keepIf("DropConflicting", checked, d -> reject(d, "bd_conflict", "profile_conflict"));
  }

  /**
   * Stage 1: the role's chunks from all its texts; a role with none is a dead letter that says why.
   */
  static final class ChunkFn implements EachOrFail.Fn<Grouped, Void, Chunk> {
    private final BeyondDialogueSettings settings;
    private final Counter made = Metrics.counter(CallLlm.METRICS, "bd.chunks");

    ChunkFn(BeyondDialogueSettings settings) {
      this.settings = settings;
    }

    @Override
    public void apply(Grouped joined, Void none, EachOrFail.Out<Chunk> out) {
      Profile p = joined.only(Profile.class);
      if (p == null) {
        return; // texts of an unknown role id: nothing to make, and the text is not a role record
      }
      Map<String, String> texts = new TreeMap<>();
      joined.all(SourceTexts.Text.class).forEach(t -> texts.put(t.id(), t.text()));
      if (texts.isEmpty()) {
        fail(
            out,
            p,
            "no_source_text",
            "no source text matches this role: give a text file named after its id or name, "
                + "a JSONL record {\"roleId\": \""
                + p.id()
                + "\", \"text\": ...}, or a '"
                + settings.opt.sourceField()
                + "' field");
        return;
      }
      Chunker splitter =
          new Chunker(
              settings.opt.maxChunkTokens(),
              settings.opt.minChapterChars(),
              settings.opt.minNameMentions());
      int textNo = 0;
      int n = 0;
      for (String text : texts.values()) {
        textNo++;
        int idx = 0;
        int chapter = -1;
        for (Chunker.Piece piece : splitter.split(text, p.names())) {
          idx = piece.chapter() == chapter ? idx + 1 : 1;
          chapter = piece.chapter();
          String id = String.format("t%d-ch%03d-%02d", textNo, piece.chapter(), idx);
          out.output(
              new Chunk(p, id, piece.chapter(), piece.text(), piece.tokens(), piece.mentions()));
          n++;
        }
      }
      made.inc(n);
      if (n == 0) {
        fail(
            out,
            p,
            "no_qualifying_chunk",
            "no chunk of its "
                + texts.size()
                + " source text(s) names the role "
                + settings.opt.minNameMentions()
                + " times (--minNameMentions); names looked for: "
                + String.join(", ", p.names()));
      }
    }

    private void fail(EachOrFail.Out<Chunk> out, Profile p, String reason, String detail) {
      out.fail(new Failure(p.id(), p.id(), STAGE_CHUNK, reason, detail, p.origin()));
    }
  }

  /**
   * The chunk's score is the mean of the samples that came back (failed samples are dead letters).
   */
  static ScoredChunk mean(KV<String, Iterable<ScoredChunk>> samples) {
    double sum = 0;
    int n = 0;
    Chunk chunk = null;
    for (ScoredChunk s : samples.getValue()) {
      sum += s.score();
      n++;
      chunk = s.chunk();
    }
    return new ScoredChunk(chunk, sum / n, n, null);
  }

  /** Stage 4: the best K chunks of a role by mean score, ties by chunk id so reruns agree. */
  static final class TopFn extends DoFn<KV<String, Iterable<ScoredChunk>>, ScoredChunk> {
    private final int k;
    private final Counter dropped = Metrics.counter(CallLlm.METRICS, "bd.chunksNotSelected");

    TopFn(int k) {
      this.k = k;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<ScoredChunk>> role, OutputReceiver<ScoredChunk> out) {
      List<ScoredChunk> all = new ArrayList<>();
      role.getValue().forEach(all::add);
      all.sort(
          Comparator.comparingDouble(ScoredChunk::score)
              .reversed()
              .thenComparing(c -> c.chunk().id()));
      all.subList(0, Math.min(k, all.size())).forEach(out::output);
      dropped.inc(Math.max(0, all.size() - k));
    }
  }

  /**
   * Drops dialogues that failed a check (coherence 0, conflict 1) as dead letters with the reason.
   */
  static Failure reject(Dialogue d, String stage, String reason) {
    boolean bad =
        reason.equals("incoherent") ? d.source().coherence() != 1 : d.source().conflict() != 0;
    if (!bad) {
      return null;
    }
    String detail =
        reason.equals("incoherent")
            ? "the dialogue extracted from chunk "
                + d.source().chunkId()
                + " does not hang together with its scene"
            : "the dialogue contradicts the profile: " + d.source().conflictAnalysis();
    return new Failure(
        d.profile().id(), d.key() + "/" + stage, stage, reason, detail, d.profile().origin());
  }
}
