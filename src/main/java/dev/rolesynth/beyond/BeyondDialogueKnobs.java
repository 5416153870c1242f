package dev.rolesynth.beyond;

import java.io.Serializable;

/**
 * Beyond Dialogue's own options: defaults, ranges and help in
 * pipelines/beyond-dialogue/pipeline.yaml.
 */
record BeyondDialogueKnobs(
    String mode,
    String sourceTexts,
    String sourceField,
    String language,
    int partnersPerRole,
    int rounds,
    int maxPartnerWords,
    int maxChunkTokens,
    int minNameMentions,
    int minChapterChars,
    int chunkScoreSamples,
    int chunksPerRole)
    implements Serializable {}
