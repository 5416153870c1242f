package dev.rolesynth.options;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The values a numeric option may take, inclusive: checked for every method's options before the
 * first call ({@link Ranges#check}) and shown by {@code --help}, so a method declares a range once,
 * beside the option.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Range {
  double min();

  double max();
}
