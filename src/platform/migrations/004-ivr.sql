-- IVR (src/ivr): flows with MAIN and numbered versions, immutable published snapshots (a running call
-- keeps the one it started on), number → flow/version bindings, prompt files (放音文件), hot words (热词).
CREATE TABLE ivr_flows (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('inbound', 'selfService')),
  description TEXT NOT NULL DEFAULT '',
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- The editable definition of each version: 'MAIN', or '1', '2', … created from an existing version.
CREATE TABLE ivr_flow_versions (
  id INTEGER PRIMARY KEY,
  flow_id INTEGER NOT NULL REFERENCES ivr_flows(id) ON DELETE CASCADE,
  version TEXT NOT NULL,
  based_on TEXT,
  note TEXT NOT NULL DEFAULT '',
  definition TEXT NOT NULL,
  updated_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (flow_id, version)
);

-- Each publish freezes the version's definition as a new revision; calls load the newest.
CREATE TABLE ivr_published (
  id INTEGER PRIMARY KEY,
  version_id INTEGER NOT NULL REFERENCES ivr_flow_versions(id) ON DELETE CASCADE,
  revision INTEGER NOT NULL,
  definition TEXT NOT NULL,
  published_by INTEGER,
  published_at INTEGER NOT NULL,
  UNIQUE (version_id, revision)
);

-- Keyed by the number string; the numbers themselves belong to the SIP channels.
CREATE TABLE ivr_number_bindings (
  number TEXT PRIMARY KEY,
  flow_id INTEGER NOT NULL REFERENCES ivr_flows(id),
  version TEXT NOT NULL,
  updated_by INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX ivr_number_bindings_flow ON ivr_number_bindings(flow_id);

CREATE TABLE ivr_prompts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  original_name TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  size_bytes INTEGER NOT NULL,
  uploaded_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE ivr_hot_word_lists (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  words TEXT NOT NULL DEFAULT '[]',
  word_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
