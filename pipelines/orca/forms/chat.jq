# OpenAI chat fine-tuning format: the instruction as the user turn, the target as the assistant's.
{messages: [{role: "user", content: .instruction}, {role: "assistant", content: .output}]}
