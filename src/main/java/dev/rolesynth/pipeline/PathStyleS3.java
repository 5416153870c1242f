package dev.rolesynth.pipeline;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * S3 clients that address buckets by path ({@code http://host:port/bucket/key}) when {@code
 * --endpoint} names an S3-compatible store (MinIO, Ceph, S3Proxy): those rarely serve a bucket as a
 * host name, and Beam's AWS module has no flag for it. The launcher sets it as {@code
 * --s3ClientFactoryClass} whenever {@code --endpoint} is given and that option is not; against AWS
 * itself nothing changes.
 */
public final class PathStyleS3 extends DefaultS3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder builder = super.createBuilder(options);
    return options.getEndpoint() == null ? builder : builder.forcePathStyle(true);
  }
}
