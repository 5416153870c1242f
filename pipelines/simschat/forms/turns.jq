# The dialogue as SFT turns, the character as the assistant: its lines (spoken and thought, marked)
# one assistant turn, the others' lines, named, the user's; turns after the character's last are
# left out. A line is the character's when its role names it by full or first name.
(.character | [., split(" ")[0]] | map(ascii_downcase)) as $names
| reduce .dialogue[] as $l ([{role: "system", content: .system}];
    (($l.role | gsub("^\\s+|\\s+$"; "") | ascii_downcase) as $r | $names | map(select(. == $r)) | length > 0) as $mine
    | (if $mine then "assistant" else "user" end) as $role
    | (if $mine then $l.action + " " + $l.content else $l.role + ": " + $l.content end) as $text
    | if .[-1].role == $role then .[-1].content += "\n" + $text else . + [{role: $role, content: $text}] end)
| endonassistant
