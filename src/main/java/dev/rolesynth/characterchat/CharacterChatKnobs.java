package dev.rolesynth.characterchat;

import java.io.Serializable;

/**
 * CharacterChat's own options: defaults, ranges and help in pipelines/characterchat/pipeline.yaml.
 */
record CharacterChatKnobs(
    int profilesPerType, int supportersPerSeeker, int maxUtterances, boolean scoreDialogues)
    implements Serializable {}
