# A dialogue as the authors release theirs, their fields in their order; setting and topic are
# one-item lists, as in their released dialogues (the topic in 1,111 of 1,344).
{
  setting: [.setting],
  emotion,
  topic: [.topic],
  dialogue: [.dialogue[] | {role, action, content}],
  location,
  background,
  source
}
