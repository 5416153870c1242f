# The dialogue as SFT turns: the supporter is the assistant, the seeker the user; a last seeker
# utterance is left out.
[{role: "system", content: .system}]
+ [.dial[] | {role: (if .speaker == "seeker" then "user" else "assistant" end), content: .utterance}]
| endonassistant
