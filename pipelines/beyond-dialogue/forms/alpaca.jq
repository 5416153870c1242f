# LLaMA-Factory's alpaca with history, as the authors' released SFT data has it: the earlier
# exchanges as [user, assistant] pairs (none for the alignment tasks).
{
  instruction,
  input: "",
  output,
  system,
  history: [(.history // [])[] | [.user, .assistant]]
}
