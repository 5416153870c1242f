# Alpaca with the authors' meta_data (id, user, is_reply, profile_related, personality_related,
# score[35]), and our labels beside them; the instruction and the target.
{
  meta_data: {
    id,
    user: .userId,
    is_reply: .isReply,
    profile_related: .profileRelated,
    personality_related: .personalityRelated,
    knowledge_related: .knowledgeRelated,
    split,
    variant,
    score
  },
  instruction,
  input: "",
  output
}
