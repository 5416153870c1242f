# The supporter's or seeker's training set ($who), as the authors' model/dataset/ has it: one line
# per utterance, with both statements, the dialogue since the speaker's first utterance, what the
# utterance drew on and the utterance.
. as $r
| examples($who)
| {conversations: {
    system: {seeker: $r.seeker.statement, supporter: $r.supporter.statement},
    history: [.history[] | {from: .speaker, value: .utterance}],
    info: .said.content,
    utterance: .said.utterance
  }}
