package dev.rolesynth.orca;

import dev.rolesynth.orca.Orca.Post;

/** The authors' post filters (OrcaText {@code src/utils.py}), each switchable by an option. */
final class PostFilter {
  private PostFilter() {}

  /** Why the post is dropped ("short" or "reply"), or null to keep it. */
  static String drop(Post p, String userId, OrcaSettings s) {
    boolean quotes = p.quote() != null && !p.quote().text().isBlank();
    if (p.text().strip().length() < s.opt.minPostChars() && !quotes) {
      return "short";
    }
    if (p.isReply()) {
      if (p.replyTo().text().isBlank() && !s.opt.keepRepliesWithoutUpstream()) {
        return "reply";
      }
      if (p.replyTo().inThread() && !s.opt.keepThreadReplies()) {
        return "reply";
      }
      if (!s.opt.keepSelfReplies() && (p.replyTo().user().equalsIgnoreCase(userId))) {
        return "reply";
      }
    }
    return null;
  }
}
