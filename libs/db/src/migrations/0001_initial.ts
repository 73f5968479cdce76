// The first schema: what must outlive a process (DESIGN.md, "Durability and failure").
// Selectors are lowercase hex SHA-1 in a text column with COLLATE "C", so byte order is hex
// order and "every instance of prefix 4/2" is the B-tree range `selector >= '4' AND
// selector < '8'` on the primary key, whatever the database's default collation is.
// Every table that hangs off an instance has its selector first in its key and goes with it.
import type { Migration } from './migration.js';

const selector = `text COLLATE "C"`;
const stateCheck = `IN ('idle', 'registering', 'registered', 'unauthorized', 'error')`;

export const initial: Migration = {
  name: '0001_initial',
  up: `
CREATE TABLE instances (
  selector            ${selector} PRIMARY KEY CHECK (selector ~ '^[0-9a-f]{40}$'),
  username            text NOT NULL,
  auth_username       text NOT NULL,
  domain              text NOT NULL,
  registrar_uri       text,
  outbound_proxy_uri  text,
  transport           text NOT NULL DEFAULT 'udp' CHECK (transport IN ('udp', 'tcp', 'tls')),
  requested_expires_s integer NOT NULL DEFAULT 3600 CHECK (requested_expires_s > 0),
  mode                text NOT NULL DEFAULT 'takeover' CHECK (mode IN ('takeover', 'always')),
  password_ciphertext bytea NOT NULL,
  password_key_id     text NOT NULL,
  token_hash          text NOT NULL,
  state               text NOT NULL DEFAULT 'registering' CHECK (state ${stateCheck}),
  version             bigint NOT NULL DEFAULT 1,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  last_seen_at        timestamptz
);
-- Admin statistics and listings by state; key rotation finds rows still under an old key.
CREATE INDEX instances_state_idx ON instances (state);
CREATE INDEX instances_password_key_id_idx ON instances (password_key_id);

CREATE TABLE devices (
  selector      ${selector} NOT NULL REFERENCES instances (selector) ON DELETE CASCADE,
  device_id     text NOT NULL,
  app_id        text NOT NULL,
  platform      text NOT NULL,
  push_provider text NOT NULL CHECK (push_provider IN ('apns', 'fcm')),
  push_token    text NOT NULL,
  voip_token    text,
  topic         text,
  presence      text NOT NULL DEFAULT 'background' CHECK (presence IN ('foreground', 'background')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (selector, device_id)
);
-- A provider's "bad token" answer names the token, not the device.
CREATE INDEX devices_push_token_idx ON devices (push_provider, push_token);

CREATE TABLE registrations (
  selector    ${selector} PRIMARY KEY REFERENCES instances (selector) ON DELETE CASCADE,
  status      text NOT NULL CHECK (status ${stateCheck}),
  call_id     text,
  -- RFC 3261 §8.1.1.5: the CSeq sequence number is a 32-bit unsigned integer.
  cseq        bigint CHECK (cseq BETWEEN 0 AND 4294967295),
  expires_at  timestamptz,
  last_code   smallint CHECK (last_code BETWEEN 100 AND 699),
  last_at     timestamptz,
  shard       text,
  -- Checkpoints upsert WHERE registrations.version < EXCLUDED.version: a replay changes nothing.
  version     bigint NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
-- A restarted shard re-registers first what expires first.
CREATE INDEX registrations_expires_at_idx ON registrations (expires_at);

CREATE TABLE messages (
  -- The writer may give the id (a replayed checkpoint then inserts nothing new).
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  selector      ${selector} NOT NULL REFERENCES instances (selector) ON DELETE CASCADE,
  call_id       text,
  from_uri      text NOT NULL,
  to_uri        text NOT NULL,
  content_type  text NOT NULL,
  body          bytea NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  acked_at      timestamptz
);
-- "The unacknowledged messages of a selector, oldest first", without reading delivered ones.
CREATE INDEX messages_unacked_idx ON messages (selector, received_at) WHERE acked_at IS NULL;
-- Retention: delete what is older than a date.
CREATE INDEX messages_received_at_idx ON messages (received_at);

CREATE TABLE call_records (
  selector     ${selector} NOT NULL REFERENCES instances (selector) ON DELETE CASCADE,
  call_id      text NOT NULL,
  caller       text,
  started_at   timestamptz NOT NULL,
  answered_at  timestamptz,
  ended_at     timestamptz,
  outcome      text,
  push_status  text,
  PRIMARY KEY (selector, call_id)
);
-- Retention and "calls of the last hour".
CREATE INDEX call_records_started_at_idx ON call_records (started_at);

CREATE TABLE shard_map (
  version     bigint PRIMARY KEY,
  shards      jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  active      boolean NOT NULL DEFAULT false
);
-- At most one map is active.
CREATE UNIQUE INDEX shard_map_one_active_idx ON shard_map (active) WHERE active;
`,
};
