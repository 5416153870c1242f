[{role: "system", content: "s"}, {role: "user", content: "a"}, {role: "user", content: "b"},
 {role: "assistant", content: "c"}, {role: "user", content: "d"}, {role: "assistant", content: "e"},
 {role: "user", content: .content}]
| endonassistant
