-- 服务记录 (src/records): one row per call with the manual's columns for filtering and the whole record
-- (legs, IVR path, transfers, offers, timings) as JSON; recordings and voicemail messages indexed beside
-- it; the sync outbox (src/sync) written in the same transaction as the record; and the numbers an
-- outbound skill group shows as caller ID (外呼外显规则).
CREATE TABLE call_records (
  id TEXT PRIMARY KEY,                      -- the call's UUID: the sync idempotency key
  started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
  caller TEXT NOT NULL,
  callee TEXT NOT NULL,
  number TEXT,                              -- our number (called, or shown as caller ID)
  channel_id INTEGER,
  agent_id INTEGER,                         -- the last agent (after transfers)
  agent_name TEXT,
  staff_no TEXT,
  agent_device TEXT CHECK (agent_device IN ('web', 'mobile', 'phone')),
  skill_group_id INTEGER,
  skill_group_name TEXT,
  end_status TEXT NOT NULL,                 -- 接入状态 code (see src/records/end-status.ts)
  end_cause TEXT,                           -- the SIP/Q.850 cause text
  hangup_side TEXT,
  ring_ms INTEGER NOT NULL DEFAULT 0,
  talk_ms INTEGER NOT NULL DEFAULT 0,
  total_ms INTEGER NOT NULL DEFAULT 0,
  queue_ms INTEGER NOT NULL DEFAULT 0,
  ivr_keys TEXT NOT NULL DEFAULT '',
  satisfaction_key TEXT,
  satisfaction_label TEXT,
  remark TEXT NOT NULL DEFAULT '',
  has_recording INTEGER NOT NULL DEFAULT 0,
  has_voicemail INTEGER NOT NULL DEFAULT 0,
  detail TEXT NOT NULL                      -- JSON: legs, ivr trace, offers, transfers, group ids seen
);
CREATE INDEX call_records_started ON call_records(started_at);
CREATE INDEX call_records_agent ON call_records(agent_id, started_at);
CREATE INDEX call_records_group ON call_records(skill_group_id, started_at);
CREATE INDEX call_records_caller ON call_records(caller);
CREATE INDEX call_records_callee ON call_records(callee);

-- Every skill group a call passed through (transfers), so a scoped reader sees the calls of its groups.
CREATE TABLE call_record_groups (
  record_id TEXT NOT NULL REFERENCES call_records(id) ON DELETE CASCADE,
  skill_group_id INTEGER NOT NULL,
  PRIMARY KEY (record_id, skill_group_id)
);
CREATE INDEX call_record_groups_group ON call_record_groups(skill_group_id);

CREATE TABLE recordings (
  id INTEGER PRIMARY KEY,
  record_id TEXT NOT NULL REFERENCES call_records(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('call', 'voicemail')),
  path TEXT NOT NULL,
  channels INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX recordings_record ON recordings(record_id);
CREATE INDEX recordings_created ON recordings(created_at);

CREATE TABLE sync_outbox (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,                       -- 'call_record'
  ref_id TEXT NOT NULL,                     -- the record's UUID (idempotency key at HQ)
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  sent_at INTEGER,
  last_error TEXT
);
CREATE INDEX sync_outbox_pending ON sync_outbox(sent_at, next_attempt_at);
CREATE UNIQUE INDEX sync_outbox_ref ON sync_outbox(kind, ref_id);

-- 外呼外显规则: numbers bound to an outbound skill group are shown first for its members.
CREATE TABLE outbound_number_groups (
  number TEXT NOT NULL,
  skill_group_id INTEGER NOT NULL REFERENCES skill_groups(id) ON DELETE CASCADE,
  PRIMARY KEY (number, skill_group_id)
);
