package dev.rolesynth.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/** The runner picked when none is given, and what the embedded-Flink child JVM inherits. */
public class DefaultRunnerTest {
  @Test
  public void embeddedFlinkUnlessARunnerIsChosen() {
    assertEquals(
        List.of("--pipeline=ditto", "--runner=FlinkRunner"),
        List.of(CommandLine.withDefaultRunner(new String[] {"--pipeline=ditto"})));
    // Maven's empty -Drunner means "not chosen".
    assertEquals(
        List.of("--pipeline=ditto", "--runner=FlinkRunner"),
        List.of(CommandLine.withDefaultRunner(new String[] {"--runner=", "--pipeline=ditto"})));
    assertEquals(
        List.of("--runner=DirectRunner"),
        List.of(CommandLine.withDefaultRunner(new String[] {"--runner=DirectRunner"})));
  }

  @Test
  public void theChildJvmKeepsTheUsersMemoryFlagsButNotTheirAgents() {
    List<String> parent =
        List.of(
            "-Xmx1g",
            "-Xms256m",
            "-XX:+UseG1GC",
            "-XX:MaxRAMPercentage=50",
            "-XX:StartFlightRecording=filename=x.jfr",
            "-Dclassworlds.conf=/usr/share/maven/bin/m2.conf",
            "-agentlib:jdwp=transport=dt_socket,server=y",
            "-XX:HeapDumpPath=/tmp/x");
    assertEquals(
        List.of("-Xmx1g", "-Xms256m", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=50"),
        FlinkRelaunch.jvmFlags(parent));
  }

  @Test
  public void aShortJobsChildCompilesWithC1OnlyUnlessTheUserChose() {
    assertTrue("1,000 Ditto roles at 9 calls", FlinkRelaunch.shortJob(9, 1_000));
    assertFalse("10,000 roles", FlinkRelaunch.shortJob(9, 10_000));
    assertTrue("calls unknown, a small pool", FlinkRelaunch.shortJob(0, 500));
    assertFalse("calls unknown, a large pool", FlinkRelaunch.shortJob(0, 5_000));
    assertFalse("input not counted (object storage)", FlinkRelaunch.shortJob(9, 0));
    assertEquals(
        List.of("-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m"),
        FlinkRelaunch.withJitChoice(List.of("-Xmx1g"), true));
    assertEquals(List.of("-Xmx1g"), FlinkRelaunch.withJitChoice(List.of("-Xmx1g"), false));
    assertEquals(
        List.of("-XX:-TieredCompilation"),
        FlinkRelaunch.withJitChoice(List.of("-XX:-TieredCompilation"), true));
  }
}
