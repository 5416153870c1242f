package dev.rolesynth.cli;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

/** The runner picked when none is given, and what the embedded-Flink child JVM inherits. */
public class DefaultRunnerTest {
  @Test
  public void embeddedFlinkUnlessARunnerIsChosen() {
    assertEquals(List.of("--pipeline=ditto", "--runner=FlinkRunner"),
        List.of(CommandLine.withDefaultRunner(new String[] {"--pipeline=ditto"})));
    // Maven's empty -Drunner means "not chosen".
    assertEquals(List.of("--pipeline=ditto", "--runner=FlinkRunner"),
        List.of(CommandLine.withDefaultRunner(new String[] {"--runner=", "--pipeline=ditto"})));
    assertEquals(List.of("--runner=DirectRunner"), List.of(CommandLine.withDefaultRunner(new String[] {"--runner=DirectRunner"})));
  }

  @Test
  public void theChildJvmKeepsTheUsersMemoryFlagsButNotTheirAgents() {
    List<String> parent = List.of("-Xmx1g", "-Xms256m", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=50",
        "-XX:StartFlightRecording=filename=x.jfr", "-Dclassworlds.conf=/usr/share/maven/bin/m2.conf",
        "-agentlib:jdwp=transport=dt_socket,server=y", "-XX:HeapDumpPath=/tmp/x");
    assertEquals(List.of("-Xmx1g", "-Xms256m", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=50"), FlinkRelaunch.jvmFlags(parent));
  }
}
