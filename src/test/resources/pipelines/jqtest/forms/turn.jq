# a comment line
{said: .content, who: .role}
