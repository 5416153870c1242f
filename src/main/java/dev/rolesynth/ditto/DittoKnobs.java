package dev.rolesynth.ditto;

import java.io.Serializable;

/** Ditto's own options: defaults, ranges and help in pipelines/ditto/pipeline.yaml. */
record DittoKnobs(
    int queriesPerRole,
    double contrastiveRatio,
    int contrastiveSources,
    boolean judge,
    int minKnowledgeScore,
    int minTurns,
    int profileTokens,
    int judgeSamples,
    boolean checkContrastive)
    implements Serializable {}
