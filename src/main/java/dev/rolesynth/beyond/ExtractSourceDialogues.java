package dev.rolesynth.beyond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.beyond.Bd.Chunk;
import dev.rolesynth.beyond.Bd.ChunkSample;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.beyond.Bd.ScoredChunk;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.Failures;
import dev.rolesynth.pipeline.KeepIf;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.Origin;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Source mode, the paper's construction (docs/pipelines/beyond-dialogue.md): match each role with its source
 * texts, cut them into chunks that mention the role often enough, score each chunk as the mean of n
 * samples, keep the best K per role, extract each kept chunk's scene and dialogue (two-person,
 * aliases mapped to the role), reconstruct the dialogue's sub-scene with a coherence check, check it
 * against the profile, and drop incoherent or conflicting dialogues as dead letters.
 *
 * <p>Chunks are scored before their scenes are extracted (the authors extract scenes first); no
 * stage reads the other's result, so the output is the same and unselected chunks cost no scene call.
 */
final class ExtractSourceDialogues extends PTransform<PCollection<Profile>, WithFailures.Result<PCollection<Dialogue>, Failure>> {
  static final String STAGE_READ = "bd_read_source";
  static final String STAGE_CHUNK = "bd_chunk";

  private final BeyondDialogueSettings settings;
  private final RunInfo run;

  ExtractSourceDialogues(BeyondDialogueSettings settings, RunInfo run) {
    this.settings = settings;
    this.run = run;
  }

  /** One source text: a whole file (line 0), or one JSONL record. */
  record SourceText(String file, long line, String text) implements Serializable {
    String id() {
      return line == 0 ? file : file + ":" + line;
    }
  }

  /** Whether a source text is claimed by some role under one of its keys (the text itself stays behind). */
  record TextClaim(String file, long line, boolean claimed) implements Serializable {}

  @Override
  public WithFailures.Result<PCollection<Dialogue>, Failure> expand(PCollection<Profile> profiles) {
    TupleTag<KV<String, SourceText>> texts = new TupleTag<>();
    TupleTag<Failure> readFailures = new TupleTag<>();
    PCollectionTuple read = profiles.getPipeline()
        .apply("MatchSourceTexts", FileIO.match().filepattern(settings.sourceTexts)
            .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("OpenSourceTexts", FileIO.readMatches())
        .apply("ReadSourceTexts", ParDo.of(new ReadTextsFn(texts, readFailures))
            .withOutputTags(texts, TupleTagList.of(readFailures)));
    PCollection<KV<String, SourceText>> keyedTexts =
        read.get(texts).setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(SourceText.class)));

    TupleTag<Chunk> chunks = new TupleTag<>();
    TupleTag<Failure> chunkFailures = new TupleTag<>();
    TupleTag<KV<String, CoGbkResult>> matched = new TupleTag<>();
    TupleTag<KV<String, TextClaim>> unmatched = new TupleTag<>();
    PCollectionTuple joined = matchTexts(profiles, keyedTexts, matched, unmatched);
    PCollection<Failure> orphans = joined.get(unmatched)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(TextClaim.class)))
        .apply("GroupKeysPerText", GroupByKey.create())
        .apply("TextsOfNoRole", ParDo.of(new OrphanFn()))
        .setCoder(KryoCoder.of(Failure.class));
    PCollectionTuple chunked = joined.get(matched)
        .apply("SplitIntoChunks", ParDo.of(new ChunkFn(settings, chunks, chunkFailures))
            .withOutputTags(chunks, TupleTagList.of(chunkFailures)));

    var sampled = chunked.get(chunks).setCoder(KryoCoder.of(Chunk.class))
        .apply("SampleChunkScores", ParDo.of(new SampleFn(settings.chunkScoreSamples)))
        .setCoder(KryoCoder.of(ChunkSample.class))
        .apply("ScoreChunks", run.call(BdTasks.scoreChunk(settings), ScoredChunk.class));
    PCollection<ScoredChunk> best = sampled.output()
        .apply("KeyByChunk", ParDo.of(new KeyFn(false)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(ScoredChunk.class)))
        .apply("GroupSamples", GroupByKey.create())
        .apply("MeanScore", ParDo.of(new MeanFn()))
        .setCoder(KryoCoder.of(ScoredChunk.class))
        .apply("KeyByRole", ParDo.of(new KeyFn(true)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(ScoredChunk.class)))
        .apply("GroupByRole", GroupByKey.create())
        .apply("KeepTopChunks", ParDo.of(new TopFn(settings.chunksPerRole)))
        .setCoder(KryoCoder.of(ScoredChunk.class));

    var scened = best.apply("ExtractChunkScenes", run.call(BdTasks.extractChunkScene(settings), ScoredChunk.class));
    var extracted = scened.output().apply("ExtractDialogues", run.call(BdTasks.extractDialogue(settings), Dialogue.class));
    var rebuilt = extracted.output().apply("ReconstructSubScenes", run.call(BdTasks.reconstructScene(settings), Dialogue.class));
    var coherent = rebuilt.output().apply("DropIncoherent", new DropIf("bd_subscene", "incoherent"));
    var checked = coherent.output().apply("CheckConflicts", run.call(BdTasks.checkConflict(settings), Dialogue.class));
    var consistent = checked.output().apply("DropConflicting", new DropIf("bd_conflict", "profile_conflict"));

    PCollection<Failure> failures = Failures.flatten("SourceFailures", List.of(
        read.get(readFailures).setCoder(KryoCoder.of(Failure.class)), orphans,
        chunked.get(chunkFailures).setCoder(KryoCoder.of(Failure.class)),
        sampled.failures(), scened.failures(), extracted.failures(), rebuilt.failures(), coherent.failures(),
        checked.failures(), consistent.failures()));
    return WithFailures.Result.of(consistent.output(), failures);
  }

  /** Joins roles with the texts that name them (by role id, name or the role's source-file field). */
  private PCollectionTuple matchTexts(PCollection<Profile> profiles, PCollection<KV<String, SourceText>> texts,
      TupleTag<KV<String, CoGbkResult>> matched, TupleTag<KV<String, TextClaim>> unmatched) {
    TupleTag<KV<String, SourceText>> toRole = new TupleTag<>();
    TupleTag<Profile> p = new TupleTag<>();
    TupleTag<SourceText> t = new TupleTag<>();
    PCollection<KV<String, Profile>> byKey = profiles.apply("KeyRolesBySource", ParDo.of(new RoleKeysFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(Profile.class)));
    PCollectionTuple byRole = KeyedPCollectionTuple.of(p, byKey).and(t, texts)
        .apply("JoinTextsToRoles", CoGroupByKey.create())
        .apply("TextsByRole", ParDo.of(new TextsByRoleFn(p, t, toRole, unmatched))
            .withOutputTags(toRole, TupleTagList.of(unmatched)));
    PCollection<KV<String, SourceText>> textsByRole =
        byRole.get(toRole).setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(SourceText.class)));
    PCollection<KV<String, Profile>> byId = profiles.apply("KeyRolesById", ParDo.of(new RoleByIdFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(Profile.class)));
    PCollection<KV<String, CoGbkResult>> perRole = KeyedPCollectionTuple.of(ChunkFn.PROFILE, byId)
        .and(ChunkFn.TEXT, textsByRole)
        .apply("GatherTextsPerRole", CoGroupByKey.create());
    return PCollectionTuple.of(matched, perRole).and(unmatched, byRole.get(unmatched));
  }

  static String fileKey(String name) {
    String base = name.substring(name.lastIndexOf('/') + 1).strip().toLowerCase(Locale.ROOT);
    return "file:" + base;
  }

  static String stemKey(String name) {
    String k = fileKey(name);
    int dot = k.lastIndexOf('.');
    return dot > "file:".length() ? k.substring(0, dot) : k;
  }

  /** Whole text files, or JSONL records {roleId | file | work, text}; unreadable ones are dead letters. */
  static final class ReadTextsFn extends DoFn<FileIO.ReadableFile, KV<String, SourceText>> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final TupleTag<KV<String, SourceText>> texts;
    private final TupleTag<Failure> failures;

    ReadTextsFn(TupleTag<KV<String, SourceText>> texts, TupleTag<Failure> failures) {
      this.texts = texts;
      this.failures = failures;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) throws IOException {
      String name = file.getMetadata().resourceId().toString();
      String content;
      try {
        content = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(file.readFullyAsBytes())).toString();
      } catch (CharacterCodingException e) {
        fail(out, name, 0, "invalid_utf8", "the source text is not valid UTF-8");
        return;
      }
      if (!name.endsWith(".jsonl")) {
        SourceText t = new SourceText(name, 0, content);
        out.get(texts).output(KV.of(fileKey(name), t));
        if (!stemKey(name).equals(fileKey(name))) {
          out.get(texts).output(KV.of(stemKey(name), t));
        }
        return;
      }
      String[] lines = content.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        long line = i + 1;
        JsonNode n;
        try {
          n = MAPPER.readTree(lines[i]);
        } catch (IOException e) {
          fail(out, name, line, "malformed_json", "not a JSON object");
          continue;
        }
        if (!n.path("text").isTextual() || n.get("text").asText().isBlank()) {
          fail(out, name, line, "missing_field", "field 'text' (the source text) is missing or empty");
          continue;
        }
        SourceText t = new SourceText(name, line, n.get("text").asText());
        if (n.path("roleId").isValueNode() && !n.get("roleId").asText().isBlank()) {
          // A text may name its role by id, name or alias ({"roleId": "Captain Ahab", ...}).
          String who = n.get("roleId").asText().strip();
          out.get(texts).output(KV.of("id:" + who, t));
          out.get(texts).output(KV.of(nameKey(who), t));
        } else if (n.path("file").isTextual() || n.path("work").isTextual()) {
          String f = n.path("file").isTextual() ? n.get("file").asText() : n.get("work").asText();
          out.get(texts).output(KV.of(fileKey(f), t));
          if (!stemKey(f).equals(fileKey(f))) {
            out.get(texts).output(KV.of(stemKey(f), t));
          }
        } else {
          fail(out, name, line, "missing_field", "field 'roleId' (or 'file' / 'work') is missing: the text belongs to no role");
        }
      }
    }

    private void fail(MultiOutputReceiver out, String file, long line, String reason, String detail) {
      Origin o = new Origin(file, line);
      out.get(failures).output(new Failure(o.toString(), o.toString(), STAGE_READ, reason,
          file + (line > 0 ? " line " + line : "") + ": " + detail, o));
    }
  }

  /** A role's name or alias as a JSONL text's roleId may give it. */
  static String nameKey(String name) {
    return "name:" + name.strip().toLowerCase(Locale.ROOT);
  }

  static final class RoleKeysFn extends DoFn<Profile, KV<String, Profile>> {
    @ProcessElement
    public void process(@Element Profile p, OutputReceiver<KV<String, Profile>> out) {
      Set<String> keys = new LinkedHashSet<>(List.of("id:" + p.id(), fileKey(p.id()), fileKey(p.name())));
      p.names().forEach(n -> keys.add(nameKey(n)));
      if (!p.sourceKey().isBlank()) {
        keys.add(fileKey(p.sourceKey()));
        keys.add(stemKey(p.sourceKey()));
      }
      keys.forEach(k -> out.output(KV.of(k, p)));
    }
  }

  static final class RoleByIdFn extends DoFn<Profile, KV<String, Profile>> {
    @ProcessElement
    public void process(@Element Profile p, OutputReceiver<KV<String, Profile>> out) {
      out.output(KV.of(p.id(), p));
    }
  }

  /**
   * Pairs each text with the roles that share one of its keys; a text is also reported per key with
   * the number of roles there, so that a text no role claims under any key becomes a dead letter.
   */
  static final class TextsByRoleFn extends DoFn<KV<String, CoGbkResult>, KV<String, SourceText>> {
    private final TupleTag<Profile> profiles;
    private final TupleTag<SourceText> texts;
    private final TupleTag<KV<String, SourceText>> toRole;
    private final TupleTag<KV<String, TextClaim>> perText;

    TextsByRoleFn(TupleTag<Profile> profiles, TupleTag<SourceText> texts, TupleTag<KV<String, SourceText>> toRole,
        TupleTag<KV<String, TextClaim>> perText) {
      this.profiles = profiles;
      this.texts = texts;
      this.toRole = toRole;
      this.perText = perText;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, MultiOutputReceiver out) {
      boolean claimed = joined.getValue().getAll(profiles).iterator().hasNext();
      for (SourceText t : joined.getValue().getAll(texts)) {
        for (Profile p : joined.getValue().getAll(profiles)) {
          out.get(toRole).output(KV.of(p.id(), t));
        }
        out.get(perText).output(KV.of(t.id(), new TextClaim(t.file(), t.line(), claimed)));
      }
    }
  }

  /** A source text that no role claims under any of its keys. */
  static final class OrphanFn extends DoFn<KV<String, Iterable<TextClaim>>, Failure> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<TextClaim>> text, OutputReceiver<Failure> out) {
      TextClaim any = null;
      for (TextClaim t : text.getValue()) {
        if (t.claimed()) {
          return;
        }
        any = t;
      }
      Origin o = new Origin(any.file(), any.line());
      out.output(new Failure(text.getKey(), text.getKey(), STAGE_READ, "unmatched_source_text",
          text.getKey() + ": no role in the pool matches this text by id, name or its source-file field", o));
    }
  }

  /** Stage 1: the role's chunks from all its texts; a role with none is a dead letter that says why. */
  static final class ChunkFn extends DoFn<KV<String, CoGbkResult>, Chunk> {
    static final TupleTag<Profile> PROFILE = new TupleTag<>("profile");
    static final TupleTag<SourceText> TEXT = new TupleTag<>("text");
    private final BeyondDialogueSettings settings;
    private final TupleTag<Chunk> chunks;
    private final TupleTag<Failure> failures;
    private final Counter made = Metrics.counter(CallLlm.METRICS, "bd.chunks");

    ChunkFn(BeyondDialogueSettings settings, TupleTag<Chunk> chunks, TupleTag<Failure> failures) {
      this.settings = settings;
      this.chunks = chunks;
      this.failures = failures;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, MultiOutputReceiver out) {
      Profile p = joined.getValue().getOnly(PROFILE, null);
      if (p == null) {
        return; // texts of an unknown role id: nothing to make, and the text is not a role record
      }
      Map<String, String> texts = new TreeMap<>();
      joined.getValue().getAll(TEXT).forEach(t -> texts.put(t.id(), t.text()));
      if (texts.isEmpty()) {
        fail(out, p, "no_source_text", "no source text matches this role: give a text file named after its id or name, "
            + "a JSONL record {\"roleId\": \"" + p.id() + "\", \"text\": ...}, or a '" + settings.sourceField + "' field");
        return;
      }
      ChunkSplitter splitter = new ChunkSplitter(settings.maxChunkTokens, settings.minChapterChars, settings.minNameMentions);
      int textNo = 0;
      int n = 0;
      for (String text : texts.values()) {
        textNo++;
        int idx = 0;
        int chapter = -1;
        for (ChunkSplitter.Piece piece : splitter.split(text, p.names())) {
          idx = piece.chapter() == chapter ? idx + 1 : 1;
          chapter = piece.chapter();
          String id = String.format("t%d-ch%03d-%02d", textNo, piece.chapter(), idx);
          out.get(chunks).output(new Chunk(p, id, piece.chapter(), piece.text(), piece.tokens(), piece.mentions()));
          n++;
        }
      }
      made.inc(n);
      if (n == 0) {
        fail(out, p, "no_qualifying_chunk", "no chunk of its " + texts.size() + " source text(s) names the role "
            + settings.minNameMentions + " times (--minNameMentions); names looked for: " + String.join(", ", p.names()));
      }
    }

    private void fail(MultiOutputReceiver out, Profile p, String reason, String detail) {
      out.get(failures).output(new Failure(p.id(), p.id(), STAGE_CHUNK, reason, detail, p.origin()));
    }
  }

  static final class SampleFn extends DoFn<Chunk, ChunkSample> {
    private final int samples;

    SampleFn(int samples) {
      this.samples = samples;
    }

    @ProcessElement
    public void process(@Element Chunk c, OutputReceiver<ChunkSample> out) {
      for (int i = 1; i <= samples; i++) {
        out.output(new ChunkSample(c, i));
      }
    }
  }

  static final class KeyFn extends DoFn<ScoredChunk, KV<String, ScoredChunk>> {
    private final boolean byRole;

    KeyFn(boolean byRole) {
      this.byRole = byRole;
    }

    @ProcessElement
    public void process(@Element ScoredChunk c, OutputReceiver<KV<String, ScoredChunk>> out) {
      out.output(KV.of(byRole ? c.chunk().profile().id() : c.chunk().key(), c));
    }
  }

  /** The chunk's score is the mean of the samples that came back (failed samples are dead letters). */
  static final class MeanFn extends DoFn<KV<String, Iterable<ScoredChunk>>, ScoredChunk> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<ScoredChunk>> samples, OutputReceiver<ScoredChunk> out) {
      double sum = 0;
      int n = 0;
      Chunk chunk = null;
      for (ScoredChunk s : samples.getValue()) {
        sum += s.score();
        n++;
        chunk = s.chunk();
      }
      out.output(new ScoredChunk(chunk, sum / n, n, null));
    }
  }

  /** Stage 4: the best K chunks of a role by mean score, ties by chunk id so reruns agree. */
  static final class TopFn extends DoFn<KV<String, Iterable<ScoredChunk>>, ScoredChunk> {
    private final int k;
    private final Counter dropped = Metrics.counter(CallLlm.METRICS, "bd.chunksNotSelected");

    TopFn(int k) {
      this.k = k;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<ScoredChunk>> role, OutputReceiver<ScoredChunk> out) {
      List<ScoredChunk> all = new ArrayList<>();
      role.getValue().forEach(all::add);
      all.sort(Comparator.comparingDouble(ScoredChunk::score).reversed().thenComparing(c -> c.chunk().id()));
      all.subList(0, Math.min(k, all.size())).forEach(out::output);
      dropped.inc(Math.max(0, all.size() - k));
    }
  }

  /** Drops dialogues that failed a check (coherence 0, conflict 1) as dead letters with the reason. */
  static final class DropIf extends PTransform<PCollection<Dialogue>, WithFailures.Result<PCollection<Dialogue>, Failure>> {
    private final String stage;
    private final String reason;

    DropIf(String stage, String reason) {
      this.stage = stage;
      this.reason = reason;
    }

    @Override
    public WithFailures.Result<PCollection<Dialogue>, Failure> expand(PCollection<Dialogue> in) {
      String stage = this.stage;
      String reason = this.reason;
      return in.apply("Check", KeepIf.passing(d -> reject(d, stage, reason)));
    }
  }

  static Failure reject(Dialogue d, String stage, String reason) {
    boolean bad = reason.equals("incoherent") ? d.source().coherence() != 1 : d.source().conflict() != 0;
    if (!bad) {
      return null;
    }
    String detail = reason.equals("incoherent")
        ? "the dialogue extracted from chunk " + d.source().chunkId() + " does not hang together with its scene"
        : "the dialogue contradicts the profile: " + d.source().conflictAnalysis();
    return new Failure(d.profile().id(), d.key() + "/" + stage, stage, reason, detail, d.profile().origin());
  }
}
