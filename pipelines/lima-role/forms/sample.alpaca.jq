# Alpaca with history: the role-setting exchange is the history; a multi-turn item's later turns
# have no place in a single instruction/output pair, so the chat form is the one that keeps them.
{instruction: .question, input: "", output: .answer, system, history: [[.rolePrompt, .feedback]]}
