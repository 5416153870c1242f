package dev.rolesynth.simschat;

import java.io.Serializable;

/** SimsChat's own options: their defaults, ranges and help in pipelines/simschat/pipeline.yaml. */
record SimsChatKnobs(int scenesPerCharacter) implements Serializable {}
