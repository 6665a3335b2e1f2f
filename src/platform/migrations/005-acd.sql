-- ACD (src/acd): every agent state change for reports, the last state per agent (closed at boot after an
-- unclean stop), the 上次接入人 memory (3 days), and 呼入接听设置 overrides per skill group (the global ones
-- live in settings under 'acd.settings').
CREATE TABLE agent_state_history (
  id INTEGER PRIMARY KEY,
  agent_id INTEGER NOT NULL,
  axis TEXT NOT NULL CHECK (axis IN ('status', 'dispatch')),
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  break_reason_id INTEGER,
  cause TEXT NOT NULL,
  call_id TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX agent_state_history_agent_at ON agent_state_history(agent_id, at);
CREATE INDEX agent_state_history_at ON agent_state_history(at);

CREATE TABLE acd_agent_state (
  agent_id INTEGER PRIMARY KEY,
  status TEXT NOT NULL,
  break_reason_id INTEGER,
  dispatch TEXT NOT NULL,
  call_id TEXT,
  updated_at INTEGER NOT NULL
);

CREATE TABLE acd_last_agent (
  number TEXT PRIMARY KEY,
  agent_id INTEGER NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  at INTEGER NOT NULL
);
CREATE INDEX acd_last_agent_at ON acd_last_agent(at);

CREATE TABLE acd_group_settings (
  group_id INTEGER PRIMARY KEY REFERENCES skill_groups(id) ON DELETE CASCADE,
  settings TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
