# OpenAI chat: the dataset's system turn when it has one, the question and the target (the model
# writes its own role-play prompt, then answers), then the rest of the conversation.
{messages: (
  (if (.system | test("\\S")) then [{role: "system", content: .system}] else [] end)
  + [{role: "user", content: .question}, {role: "assistant", content: .target}]
  + [.rest[] | {role, content}]
)}
