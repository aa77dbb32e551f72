import type { Database } from 'better-sqlite3';

/**
 * One versioned schema change. Ids are `<owner>/<NNN>-<what>` (`core/001-sandboxes`,
 * `dialnexa/001-campaigns`); a migration, once released, never changes: add a new one instead.
 */
export interface Migration {
  id: string;
  sql: string;
}

/**
 * Applies every migration the database has not seen, each in its own transaction, in the order
 * given. Refuses a database that records migrations this build does not know (it was written by a
 * newer campaign-mock), rather than guessing at its schema.
 */
export function migrate(db: Database, migrations: readonly Migration[]): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = new Set(
    db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[],
  );
  const known = new Set(migrations.map((m) => m.id));
  const unknown = [...applied].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new Error(
      `campaign-mock: the database has migrations this version does not know (${unknown.join(', ')}); ` +
        'it was written by a newer campaign-mock. Use that version, or start with a new --db file.',
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  const ran: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.id, new Date().toISOString());
    })();
    ran.push(migration.id);
  }
  return ran;
}
