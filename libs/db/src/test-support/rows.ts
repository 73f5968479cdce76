// Rows for tests: an instance with every required column, and random selectors.
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../database.js';

export function randomSelector(): string {
  return createHash('sha1').update(randomBytes(16)).digest('hex');
}

export async function insertInstance(db: Queryable, selector: string): Promise<void> {
  await db.query(
    `INSERT INTO instances (selector, username, auth_username, domain, password_ciphertext,
       password_key_id, token_hash)
     VALUES ($1, 'alice', 'alice', 'example.test', $2, 'k1', $3)`,
    [selector, Buffer.from([1, 2, 3]), createHash('sha256').update(selector).digest('hex')],
  );
}

/** Many instances in one statement (unnest), for plans that need a populated table. */
export async function insertInstances(db: Queryable, selectors: string[]): Promise<void> {
  await db.query(
    `INSERT INTO instances (selector, username, auth_username, domain, password_ciphertext,
       password_key_id, token_hash)
     SELECT s, 'u', 'u', 'example.test', '\\x00'::bytea, 'k1', s FROM unnest($1::text[]) AS s`,
    [selectors],
  );
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** Every node of an EXPLAIN (FORMAT JSON) plan, depth first. */
export async function planNodes(db: Queryable, sql: string): Promise<PlanNode[]> {
  const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`);
  const raw = rows[0]!['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node);
    node.Plans?.forEach(walk);
  };
  walk(parsed[0]!.Plan);
  return nodes;
}
