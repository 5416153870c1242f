package dev.rolesynth.review;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Test;

public class ReviewTest {
  @org.junit.Rule
  public final org.junit.rules.TemporaryFolder tmp = new org.junit.rules.TemporaryFolder();

  @Test
  public void aManifestListingAFileOutsideItsRunIsRefused() throws Exception {
    Path run = tmp.newFolder("run").toPath();
    Files.writeString(
        run.resolve("_manifest.json"),
        "{\"status\":\"succeeded\",\"files\":[{\"path\":\"../../etc/passwd\"}]}");
    var e =
        assertThrows(dev.rolesynth.ConfigException.class, () -> Review.finishedRun(run.toString()));
    assertThat(e.getMessage(), containsString("outside its run folder"));
  }

  @Test
  public void aReviewThatReadLessThanTheRunWroteFails() throws Exception {
    var manifest = new ObjectMapper().readTree("{\"datasets\":{\"dialogues\":{\"avro\":10}}}");
    var run =
        new Review.Run(
            dev.rolesynth.pipeline.Folder.of("/runs/x"),
            manifest,
            Map.of("dialogues", "/runs/x/dialogues-*-of-*.avro"));
    SampleCounts.checkEveryRecordWasRead(
        run,
        Map.of(
            Observations.STRATA + "\tdialogues · a",
            6L,
            Observations.STRATA + "\tdialogues · b",
            4L,
            Observations.FAILURES + "\tread: bad",
            3L));
    var e =
        assertThrows(
            IllegalStateException.class,
            () ->
                SampleCounts.checkEveryRecordWasRead(
                    run, Map.of(Observations.STRATA + "\tdialogues · a", 6L)));
    assertThat(
        e.getMessage(), containsString("read 6 dialogues records but the run's manifest lists 10"));
  }
}
