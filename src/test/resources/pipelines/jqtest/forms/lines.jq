.role, .content
