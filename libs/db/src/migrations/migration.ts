/** One schema change: a name that sorts in order of application, and the SQL that applies it. */
export interface Migration {
  readonly name: string;
  /** Statements separated by `;`, run in the migration run's transaction. */
  readonly up: string;
}
