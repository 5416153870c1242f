# What a self-prompt-tuned model learns: given the question, write the role-setting prompt.
{instruction: .question, input: "", output: .rolePrompt}
