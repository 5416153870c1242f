# OpenAI chat fine-tuning format: the system turn, the earlier exchanges, then the instruction and
# the output as the last user and assistant turns.
{messages: (
  [{role: "system", content: .system}]
  + [(.history // [])[] | {role: "user", content: .user}, {role: "assistant", content: .assistant}]
  + [{role: "user", content: .instruction}, {role: "assistant", content: .output}]
)}
