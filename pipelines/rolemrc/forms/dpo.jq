# The authors' DPO records: the prompt as the list of turns their trainer indexes (prompt[0] the
# system turn), the chosen and rejected replies as text.
def turns: [.[] | {role: ((.role[:1] | ascii_upcase) + .role[1:]), content}];
{id, task, prompt: (.prompt | turns), chosen, rejected}
