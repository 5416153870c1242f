# The authors' profiles (data/profile_trans_output.json): {index, mbti, profile (with its additional
# information), statements, profile_trans}.
{
  index: .id,
  mbti,
  profile: ((.filledProfile | ordered) + {additional_information: .additionalInformation}),
  seeker_statement: .seekerStatement,
  supporter_statement: .supporterStatement,
  profile_trans: (.profileTrans | ordered)
}
