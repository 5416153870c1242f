[{role: "system", content: "s"}, {role: .role, content: .content}]
