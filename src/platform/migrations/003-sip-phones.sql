-- SIP 话机与内线号码: desk phones and their extensions. The SIP password is sealed with the box key
-- (the box must be able to show it to site IT and provision it), never hashed.
CREATE TABLE sip_phones (
  id INTEGER PRIMARY KEY,
  extension TEXT NOT NULL UNIQUE CHECK (length(extension) BETWEEN 4 AND 6),
  name TEXT NOT NULL,
  password_sealed TEXT NOT NULL,
  -- Bound to an agent (the phone rings for that agent) or to a skill group, or to neither.
  agent_id INTEGER REFERENCES users(id),
  skill_group_id INTEGER REFERENCES skill_groups(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (agent_id IS NULL OR skill_group_id IS NULL)
);
CREATE UNIQUE INDEX sip_phones_agent ON sip_phones(agent_id) WHERE agent_id IS NOT NULL;
CREATE INDEX sip_phones_group ON sip_phones(skill_group_id);
