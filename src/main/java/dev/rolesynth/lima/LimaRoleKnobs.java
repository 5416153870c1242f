package dev.rolesynth.lima;

import java.io.Serializable;

/** LIMA-Role's own options: defaults, ranges and help in pipelines/lima-role/pipeline.yaml. */
record LimaRoleKnobs(
    int minPromptChars,
    int maxPromptChars,
    String languages,
    boolean withJudge,
    boolean keepRoleNotLosing)
    implements Serializable {}
