# What a self-prompt-tuned model learns: given the question, write the role-setting prompt.
{messages: [{role: "user", content: .question}, {role: "assistant", content: .rolePrompt}]}
