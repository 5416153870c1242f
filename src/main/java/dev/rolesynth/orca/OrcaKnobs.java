package dev.rolesynth.orca;

import java.io.Serializable;

/** Orca's own options: defaults, choices, ranges and help in pipelines/orca/pipeline.yaml. */
record OrcaKnobs(
    int minPostsPerUser,
    int minPostChars,
    boolean keepRepliesWithoutUpstream,
    boolean keepSelfReplies,
    boolean keepThreadReplies,
    int postsPerScoreChunk,
    int profilePosts,
    int postsPerPersona,
    String variant,
    boolean withoutPsychology,
    boolean withoutProfile,
    boolean withoutPersonality,
    boolean withoutKnowledge,
    int benchmarkUsers,
    int benchmarkMinPosts,
    boolean pcipAllPosts)
    implements Serializable {}
