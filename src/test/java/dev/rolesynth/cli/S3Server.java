package dev.rolesynth.cli;

import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for tests: S3Proxy (copied into target/s3proxy by the build) run as its own
 * process on 127.0.0.1, storing objects under a temporary folder, with signed (v2 or v4) requests
 * required. {@link #client()} talks to it as any S3 client would.
 */
final class S3Server implements AutoCloseable {
  static final String ACCESS_KEY = "rolesynth-test-access";
  static final String SECRET_KEY = "rolesynth-test-secret-5f2c";
  private final Process process;
  private final int port;
  private final S3Client client;

  private S3Server(Process process, int port) {
    this.process = process;
    this.port = port;
    this.client =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint()))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
  }

  static S3Server start(Path dir) throws Exception {
    Path jar = Paths.get("target", "s3proxy", "s3proxy.jar");
    assumeTrue(
        "S3Proxy is not in target/s3proxy (run the tests through Maven, which copies it there)",
        Files.exists(jar));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path store = Files.createDirectories(dir.resolve("s3-store"));
    Path conf = dir.resolve("s3proxy.properties");
    Files.writeString(
        conf,
        String.join(
                "\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                // Beam's S3 writes name their (absent) bucket-key encryption in a header S3Proxy
                // does not know.
                "s3proxy.ignore-unknown-headers=true",
                "jclouds.provider=filesystem-nio2",
                "jclouds.identity=" + ACCESS_KEY,
                "jclouds.credential=" + SECRET_KEY,
                "jclouds.filesystem.basedir=" + store)
            + "\n");
    Process p =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--properties",
                conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("s3proxy.log").toFile())
            .start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return new S3Server(p, port);
      } catch (IOException notYet) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "S3Proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
        }
        Thread.sleep(100);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("S3Proxy did not listen on port " + port + " within a minute");
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  S3Client client() {
    return client;
  }

  /**
   * The options a run needs to reach this server (credentials come from the environment, see {@link
   * #env}).
   */
  List<String> options() {
    return List.of("--awsRegion=us-east-1", "--endpoint=" + endpoint());
  }

  /** Credentials the way a deployment passes them: the standard chain's environment variables. */
  static Map<String, String> env(String secret) {
    return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", secret);
  }

  void createBucket(String bucket) {
    client.createBucket(b -> b.bucket(bucket));
  }

  void put(String bucket, String key, byte[] data) {
    client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
  }

  byte[] get(String bucket, String key) {
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  /** Every key under a prefix. */
  List<String> keys(String bucket, String prefix) {
    return client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(o -> o.key())
        .toList();
  }

  /** Copies every object under a prefix into a local folder, keeping the names below the prefix. */
  void download(String bucket, String prefix, Path into) throws IOException {
    for (String key : keys(bucket, prefix)) {
      Path target = into.resolve(key.substring(prefix.length()));
      Files.createDirectories(target.getParent());
      Files.write(target, get(bucket, key));
    }
  }

  @Override
  public void close() {
    client.close();
    process.destroyForcibly();
  }
}
