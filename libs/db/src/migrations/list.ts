// Every migration, in the order it applies. Append only: a published migration never changes
// (a new one alters what an old one made). Modules, not .sql files, so that the same list is
// found from src/ under jest and from dist/ at run time.
import { initial } from './0001_initial.js';
import { persisterRecords } from './0002_persister_records.js';
import type { Migration } from './migration.js';

export const migrations: readonly Migration[] = [initial, persisterRecords];
