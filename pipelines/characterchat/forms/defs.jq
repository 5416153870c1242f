# What CharacterChat's forms share. $fields: the authors' sixteen profile fields, in their order.

# An Avro map (which keeps no order) in the authors' field order: their sixteen fields, then any
# other in name order, the additional information last.
def ordered:
  . as $m
  | [$fields[] | select(. as $k | $m | has($k))] as $known
  | reduce $known[] as $k ({}; .[$k] = $m[$k])
  + reduce (($m | keys) - $known - ["additional_information"])[] as $k ({}; .[$k] = $m[$k])
  + (if $m | has("additional_information")
     then {additional_information: $m.additional_information} else {} end);

# The utterances of $who to learn (the supporter's from turn 1, the seeker's from turn 2), each
# with the dialogue before it since the speaker's first utterance.
def examples($who):
  (if $who == "supporter" then 1 else 2 end) as $first
  | .dial as $d
  | range($first; $d | length)
  | select($d[.].speaker == $who)
  | {history: $d[$first:.], said: $d[.]};
