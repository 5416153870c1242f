.content | keys
