# OpenAI chat: the dataset's system turn when it has one, the two-turn role-play prompt, the
# question and its answer, then the rest of the conversation.
{messages: (
  (if (.system | test("\\S")) then [{role: "system", content: .system}] else [] end)
  + [{role: "user", content: .rolePrompt}, {role: "assistant", content: .feedback},
     {role: "user", content: .question}, {role: "assistant", content: .answer}]
  + [.rest[] | {role, content}]
)}
