-- 来电弹屏 (screen pop): the business-system pages the workbench shows beside a call, and the box's own
-- identity standing in for the cloud product's SdkAppId (screen-pop hash, click-to-call SDK), plus the
-- origins allowed to embed the click-to-call SDK frame.
CREATE TABLE screen_pop_pages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL,                       -- https:// only (the route refuses anything else)
  mode TEXT NOT NULL CHECK (mode IN ('always', 'onCall')),   -- 常显 | 仅通话时
  enabled INTEGER NOT NULL DEFAULT 1,
  sort INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- A 10-digit number like the cloud's SdkAppId, random per box.
INSERT INTO settings (key, value) VALUES ('box.sdkAppId', '"' || (1000000000 + abs(random() % 8999999999)) || '"');
INSERT INTO settings (key, value) VALUES ('sdk.allowedOrigins', '[]');
