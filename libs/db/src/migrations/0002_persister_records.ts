// What state-persister's record writes need (additive): a call record's direction, and a
// device token a push provider declared dead. The token revives by itself when the app sends a
// new one: a trigger clears the mark whenever push_token or voip_token changes, whoever writes
// the row (registration-api's device PUT, a hand-over), so no writer can forget it.
import type { Migration } from './migration.js';

export const persisterRecords: Migration = {
  name: '0002_persister_records',
  up: `
ALTER TABLE call_records
  ADD COLUMN direction text NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound'));

ALTER TABLE devices
  ADD COLUMN token_dead_at     timestamptz,
  ADD COLUMN token_dead_reason text CHECK (token_dead_reason IN ('bad-token', 'unregistered'));

CREATE FUNCTION devices_revive_token() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.push_token IS DISTINCT FROM OLD.push_token
     OR NEW.voip_token IS DISTINCT FROM OLD.voip_token THEN
    NEW.token_dead_at := NULL;
    NEW.token_dead_reason := NULL;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER devices_revive_token BEFORE UPDATE OF push_token, voip_token ON devices
  FOR EACH ROW EXECUTE FUNCTION devices_revive_token();
`,
};
