# What every pipeline's forms may use: a list of turns ({role, content}: system, user, assistant)
# as a training record.

# OpenAI's chat fine-tuning format: {"messages": [...]}.
def chat: {messages: [.[] | {role, content}]};

# LLaMA-Factory's alpaca with history: the last exchange as instruction and output, the earlier
# ones as [user, assistant] pairs; user turns in a row are one, joined by a line break.
def alpaca:
  reduce .[] as $t ({system: "", user: null, pairs: []};
    if $t.role == "system" then .system = $t.content
    elif $t.role == "user" then .user = (if .user == null then $t.content else .user + "\n" + $t.content end)
    else .pairs += [[(.user // ""), $t.content]] | .user = null
    end)
  | if (.pairs | length) == 0 then error("an alpaca record needs an assistant turn") else . end
  | {instruction: .pairs[-1][0], input: "", output: .pairs[-1][1], system, history: .pairs[:-1]};

# The turns up to the last one that is not the user's: a training record ends on the assistant.
def endonassistant:
  . as $t | ([range(0; $t | length) | select($t[.].role != "user")] | last) as $i | $t[:$i + 1];

# An Alpaca-shaped record with history (LLaMA-Factory's form) as turns: the system prompt, each
# earlier exchange, then the instruction (and input) and the output.
def alpacaturns:
  [{role: "system", content: (.system // "")}]
  + [(.history // [])[] | {role: "user", content: (.user // "")}, {role: "assistant", content: (.assistant // "")}]
  + [{role: "user", content: ((.instruction // "") + (if (.input // "") == "" then "" else "\n\n" + .input end))},
     {role: "assistant", content: (.output // "")}];
