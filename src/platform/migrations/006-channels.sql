-- 自有号码接入: SIP channels (public trunk, the box registering to a carrier, a gateway registering to
-- the box), their numbers (pending → effective; bound to IVR flows by the IVR part, keyed by number),
-- and per-extension outbound rights. Passwords are sealed with the box key (the box registers out with
-- one, and shows the other to site IT to type into the gateway).
CREATE TABLE sip_channels (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  device_type TEXT NOT NULL CHECK (device_type IN ('analog', 'e1t1', 'sipTrunk')),
  -- analog: lines of the FXO gateway (1 call each); e1t1: spans (30 calls each); sipTrunk: concurrent calls.
  capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
  mode TEXT NOT NULL CHECK (mode IN ('publicTrunk', 'registerOut', 'registerIn')),
  -- Mode settings as JSON without the password (see src/sip/trunks/trunk-types.ts).
  settings TEXT NOT NULL,
  password_sealed TEXT,
  -- registerIn: the account the gateway registers with; unique among channels (and never an extension).
  account_username TEXT UNIQUE,
  -- Where an inbound call goes when no IVR or queue takes its number (an extension), or nowhere.
  inbound_extension TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE sip_numbers (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  channel_id INTEGER NOT NULL REFERENCES sip_channels(id),
  -- Dialled before the callee on outbound calls shown with this number (the carrier's sending prefix).
  send_prefix TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'effective')),
  effective_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX sip_numbers_channel ON sip_numbers(channel_id);

-- No row: outbound calls allowed, international calls denied.
CREATE TABLE sip_outbound_rights (
  extension TEXT PRIMARY KEY,
  outbound INTEGER NOT NULL,
  international INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
