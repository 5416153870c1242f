package dev.rolesynth.cli;

import dev.rolesynth.ConfigException;
import dev.rolesynth.pipeline.Folder;
import dev.rolesynth.pipeline.InputFiles;
import dev.rolesynth.pipeline.PathStyleS3;
import dev.rolesynth.prompt.PromptBook;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Beam's filesystems for the paths of a run ({@code s3://}, {@code hdfs://}, local), set up and
 * tried at launch: wrong credentials, a missing bucket or an unwritable output are configuration
 * errors before the first LLM call, not a failed job after paid ones.
 */
final class ObjectStores {
  static final int UPLOAD_BUFFER_BYTES = 5 << 20;

  private ObjectStores() {}

  /**
   * Path-style addressing for S3-compatible stores, checked credentials, then Beam's filesystems.
   */
  static void configure(PipelineOptions options, Set<String> given) {
    S3Options s3 = options.as(S3Options.class);
    if (given.contains("awsCredentialsProvider")
        && s3.getAwsCredentialsProvider() != null
        && s3.getAwsCredentialsProvider().getClass().getSimpleName().startsWith("Static")) {
      throw new ConfigException(
          "--awsCredentialsProvider must not hold keys: they would travel with the job's options."
              + " Give them through the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), a profile"
              + " (AWS_PROFILE, ~/.aws/credentials) or an instance role: the standard chain finds them");
    }
    if (given.contains("endpoint") && !given.contains("s3ClientFactoryClass")) {
      s3.setS3ClientFactoryClass(PathStyleS3.class);
    }
    if (!given.contains("s3UploadBufferSizeBytes")) {
      // Beam's default is 64 MiB per open file on a worker with more than 512 MiB of heap,
      // allocated up
      // front; a bundle writing shards of several datasets at once then runs a TaskManager out of
      // memory.
      // 5 MiB, the smallest part S3 takes, still allows 50 GB per file (10,000 parts).
      s3.setS3UploadBufferSizeBytes(UPLOAD_BUFFER_BYTES);
    }
    FileSystems.setDefaultPipelineOptions(options);
    PromptBook.readRemoteFoldersWith(ObjectStores::promptFiles);
  }

  /**
   * The {@code .mustache} files of a --promptDir on object storage, read through Beam's
   * filesystems.
   */
  static Map<String, String> promptFiles(String dir) {
    Folder folder = Folder.of(dir);
    Map<String, String> out = new TreeMap<>();
    try {
      for (String name : folder.files().keySet()) {
        if (!name.contains("/") && name.endsWith(".mustache")) {
          out.put(name, folder.readString(name));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("--promptDir " + dir + " cannot be read: " + InputFiles.reason(e));
    }
    if (out.isEmpty()) {
      throw new ConfigException("--promptDir " + dir + " holds no .mustache template");
    }
    return out;
  }

  /**
   * Writes and deletes a probe file in a folder on object storage: proves the bucket exists and the
   * credentials may write there. (A local folder is left alone: a config error must not create it.)
   */
  static void checkWritable(String option, Folder folder) {
    if (folder.local()) {
      return;
    }
    String probe = ".rolesynth-probe-" + UUID.randomUUID();
    try {
      folder.write(probe, new byte[0]);
      folder.delete(List.of(probe));
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          "--" + option + " " + folder + " cannot be written: " + InputFiles.reason(e));
    }
  }
}
