# A character in the sections and field names of the authors' README example: customised, personal
# and social aspects, and the profile as its text format.
{
  "Customised aspects": {
    Career: .career,
    Aspiration: .aspiration,
    Trait: (.traits | join(", ")),
    Skill: .skill
  },
  "Personal aspects": {
    Name: .name,
    Gender: .personal.gender,
    Age: .age,
    Tone: .personal.tone,
    Career: .career,
    Personality: .personal.personality,
    "Advantages and disadvantages": .personal.advantagesAndDisadvantages,
    Hobby: .personal.hobby
  },
  "Social aspects": {
    "Family relationship": .social.familyRelationship,
    "Social relationship": .social.socialRelationship,
    "Living conditions": .social.livingConditions
  },
  "Text format": .profile
}
