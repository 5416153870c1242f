# The authors' SFT records: their id and task id, and conversations with System, User and
# Assistant turns.
def turns: [.[] | {role: ((.role[:1] | ascii_upcase) + .role[1:]), content}];
{id, task, conversations: (.conversations | turns)}
