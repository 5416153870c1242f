# The same examples as the authors' trainer's preprocess.py lays them out, as prompt and
# completion: <SYSTEM>statement, the history tagged <SEEKER>/<SUPPORTER>, then <SPEAKER>[INFO-what it
# drew on]; the completion is the utterance. (Their seeker preprocessing tags the info <SUPPORTER>
# too; we tag it with the speaker.)
def tag: "<" + ascii_upcase + ">";
(if $who == "seeker" then .seeker else .supporter end).statement as $statement
| examples($who)
| {
    prompt: ("<SYSTEM>" + $statement
      + ([.history[] | (.speaker | tag) + .utterance] | join(""))
      + ($who | tag) + "[INFO-" + .said.content + "]"),
    completion: .said.utterance
  }
