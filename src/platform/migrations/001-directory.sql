-- Accounts, roles, skill groups, status settings (客服管理, 角色权限管理, 技能组管理, 上线状态与小休原因).
CREATE TABLE roles (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  builtin TEXT CHECK (builtin IN ('admin', 'agent')),
  permissions TEXT NOT NULL DEFAULT '[]',
  scope_groups TEXT,
  created_at INTEGER NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT UNIQUE,
  name TEXT NOT NULL,
  nickname TEXT NOT NULL,
  staff_no TEXT,
  email TEXT COLLATE NOCASE,
  mobile TEXT,
  role_id INTEGER NOT NULL REFERENCES roles(id),
  password_hash TEXT NOT NULL,
  password_changed_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'forced_offline')),
  mobile_answer INTEGER NOT NULL DEFAULT 0,
  mobile_outbound INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE UNIQUE INDEX users_staff_no ON users(staff_no) WHERE deleted_at IS NULL AND staff_no IS NOT NULL;
CREATE UNIQUE INDEX users_email ON users(email) WHERE deleted_at IS NULL AND email IS NOT NULL;

CREATE TABLE skill_groups (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  ring_mode TEXT NOT NULL DEFAULT 'sequential' CHECK (ring_mode IN ('sequential', 'simultaneous')),
  reception_limit INTEGER NOT NULL DEFAULT 10,
  created_at INTEGER NOT NULL
);

CREATE TABLE skill_group_members (
  group_id INTEGER NOT NULL REFERENCES skill_groups(id),
  member_kind TEXT NOT NULL CHECK (member_kind IN ('agent', 'phone')),
  member_id INTEGER NOT NULL,
  priority INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
  PRIMARY KEY (group_id, member_kind, member_id)
);
CREATE INDEX skill_group_members_member ON skill_group_members(member_kind, member_id);

CREATE TABLE break_reasons (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);

INSERT INTO roles (name, builtin, permissions, scope_groups, created_at) VALUES
  ('管理员', 'admin', '["*"]', NULL, 0),
  ('普通座席', 'agent', '["workbench"]', NULL, 0);
INSERT INTO break_reasons (name, enabled, created_at) VALUES ('休息', 1, 0), ('会议', 1, 0), ('培训', 1, 0);
INSERT INTO settings (key, value) VALUES ('status.default', '"idle"');
