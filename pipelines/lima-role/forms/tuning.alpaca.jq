# Alpaca: the question as the instruction, the target as the output, the dataset's system text.
{instruction: .question, input: "", output: .target, system}
