-- 通话设置 (src/calls/settings): the blacklist (通用设置-黑名单), 收号 templates, the 自助服务 list and per-number
-- settings (外呼指定分配, 呼入/呼出评价配置). Box-wide call settings (hold music, outbound rules, the blacklist
-- prompt) are rows of `settings` under keys 'calls.*'.
CREATE TABLE call_blacklist (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,              -- national form, digits only (see src/calls/settings/numbers.ts)
  shown TEXT NOT NULL,                      -- as entered
  remark TEXT NOT NULL DEFAULT '',
  expires_at INTEGER,
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);

CREATE TABLE call_digit_templates (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  definition TEXT NOT NULL,                 -- JSON: prompt, min/max digits, terminator, timeout, callback URL, enabled
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE call_self_services (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  flow_id INTEGER NOT NULL REFERENCES ivr_flows(id) ON DELETE CASCADE,
  version TEXT NOT NULL DEFAULT 'MAIN',
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE number_call_settings (
  number TEXT PRIMARY KEY,                  -- our number as in sip_numbers
  settings TEXT NOT NULL,                   -- JSON: lastAgentRouting, inboundSurvey, outboundSurvey
  updated_at INTEGER NOT NULL
);

-- 外呼指定分配: the agent who last called a customer out (the ACD's 上次接入人 keeps inbound answers too).
CREATE TABLE last_outbound_agent (
  number TEXT PRIMARY KEY,                  -- the customer's number, digits only
  agent_id INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX last_outbound_agent_at ON last_outbound_agent(at);
