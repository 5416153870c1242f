package dev.rolesynth.rolemrc;

import java.io.Serializable;

/** RoleMRC's own options: defaults, choices, ranges and help in pipelines/rolemrc/pipeline.yaml. */
record RoleMrcKnobs(
    String passages, int chatTurns, String narration, String taskMix, boolean ruledTasks)
    implements Serializable {}
