# The authors' dialogues (data/dial_output.json): {index, seeker_info, supporter_info, dial}, the
# infos' keys prefixed as theirs are.
def info($who):
  {
    ($who + "_index"): .index,
    ($who + "_mbti"): .mbti,
    ($who + "_profile"): (.profile | ordered),
    ($who + "_profile_trans"): (.profileTrans | ordered),
    ($who + "_statement"): .statement,
    ($who + "_tone_sentences"): .toneSentences
  };
{
  index: .id,
  seeker_info: (.seeker | info("seeker")),
  supporter_info: (.supporter | info("supporter")),
  dial: [.dial[] | {turn, speaker, choose_info: {aspect, content}, utterance}]
}
