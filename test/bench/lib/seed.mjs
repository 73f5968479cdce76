// N instances written straight into PostgreSQL for the agent-scale benchmark: sealed passwords
// (AES-256-GCM under the run's key file, AAD of each selector, as registration-api seals them),
// mode `always`, one registrar; inserted in batches of 5,000 by one INSERT … SELECT FROM unnest.
// The same accounts as Kamailio subscribers (username, domain, password).
import { randomBytes } from 'node:crypto';
import { computeSelector } from '@sipwake/contracts';
import { instancePasswordAad, sealSecret } from '@sipwake/secrets';

const BATCH = 5_000;

export function scaleAccounts(count, domain) {
  return Array.from({ length: count }, (_, i) => {
    const username = `u${i}`;
    return {
      username,
      domain,
      password: `pw-${randomBytes(6).toString('hex')}`,
      selector: computeSelector({ authUsername: username, username, domain }),
    };
  });
}

export async function seedInstances(db, keyRing, accounts, { registrarUri, expiresS }) {
  for (let from = 0; from < accounts.length; from += BATCH) {
    const batch = accounts.slice(from, from + BATCH);
    await db.query(
      `INSERT INTO instances (selector, username, auth_username, domain, registrar_uri,
         requested_expires_s, mode, password_ciphertext, password_key_id, token_hash)
       SELECT a.selector, a.username, a.username, $7, $4, $5, 'always', a.sealed, $6,
              encode(sha256(convert_to(a.selector, 'UTF8')), 'hex')
         FROM unnest($1::text[], $2::text[], $3::bytea[]) AS a(selector, username, sealed)`,
      [
        batch.map((a) => a.selector),
        batch.map((a) => a.username),
        batch.map((a) => sealSecret(keyRing, a.password, { aad: instancePasswordAad(a.selector) })),
        registrarUri,
        expiresS,
        keyRing.currentKeyId,
        batch[0].domain,
      ],
    );
  }
  await db.query('ANALYZE instances');
}
