package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Ditto from a pool on HDFS to shards and a manifest on HDFS: a real name node and data node on
 * 127.0.0.1.
 */
public class HdfsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void dittoReadsAndWritesHdfsAsItDoesLocalDisk() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.newFolder("hdfs").getAbsolutePath());
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    try {
      String fs = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
      FileSystem hdfs = cluster.getFileSystem();
      hdfs.copyFromLocalFile(
          new org.apache.hadoop.fs.Path(DittoEndToEndTest.pool()),
          new org.apache.hadoop.fs.Path("/roles/pool.jsonl"));
      String[] args = {
        "--pipeline=ditto",
        "--runner=DirectRunner",
        "--seed=5",
        "--llmEndpoint=sim",
        "--cacheDir=off",
        "--input=" + fs + "/roles/*.jsonl",
        "--hdfsConfiguration=[{\"fs.defaultFS\": \"" + fs + "\"}]"
      };
      var run = DittoEndToEndTest.launchAt(fs + "/out/ditto", args);
      assertEquals(run.err(), 0, run.exit());

      Path local = tmp.getRoot().toPath().resolve("local");
      var reference =
          DittoEndToEndTest.launch(
              local,
              "--pipeline=ditto",
              "--runner=DirectRunner",
              "--seed=5",
              "--llmEndpoint=sim",
              "--cacheDir=off",
              "--input=" + DittoEndToEndTest.pool());
      assertEquals(reference.err(), 0, reference.exit());
      JsonNode m;
      try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path("/out/ditto/_manifest.json"))) {
        m = DittoEndToEndTest.MAPPER.readTree(in);
      }
      JsonNode here = reference.manifest();
      assertEquals("succeeded", m.get("status").asText());
      for (String count :
          List.of(
              "inputRecords", "outputRecords", "failedRecords", "avroRecords", "jsonlRecords")) {
        assertEquals(count, here.get(count), m.get(count));
      }
      Path copy = tmp.getRoot().toPath().resolve("from-hdfs");
      hdfs.copyToLocalFile(
          new org.apache.hadoop.fs.Path("/out/ditto"),
          new org.apache.hadoop.fs.Path(copy.toString()));
      assertEquals(DittoEndToEndTest.avro(local).size(), DittoEndToEndTest.avro(copy).size());
      try (var files = Files.list(copy)) {
        assertTrue(
            "no staging left",
            files.noneMatch(p -> p.getFileName().toString().startsWith(".staging")));
      }
      var again = DittoEndToEndTest.launchAt(fs + "/out/ditto", args);
      assertEquals(0, again.exit());
      assertThat(again.out(), containsString("already holds this run"));
    } finally {
      cluster.shutdown();
    }
  }
}
