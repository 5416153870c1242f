package dev.rolesynth.pipeline;

import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;

/**
 * The settings of a method that needs nothing beyond its own options ({@link Recipe#settledBy}):
 * its prompts, the run's seed and its knobs, typed and checked.
 *
 * @param <K> the method's knobs
 */
public final class Settings<K extends Record> extends PipelineSettings {
  /** The method's own options. */
  public final K opt;

  public Settings(String pipeline, RolesynthOptions o, K opt) {
    super(PromptBook.load(pipeline, o.getPromptDir()), o.getSeed());
    this.opt = opt;
  }
}
