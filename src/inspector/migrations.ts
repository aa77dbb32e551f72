import type { Migration } from '../store/migrations.js';

/**
 * Every status a campaign took after its creation, and when (on its sandbox's clock): what the
 * inspector's timeline marks. A vendor's campaigns keep only their status now and their last
 * update, so each vendor writes here from a trigger on its own table (its migrations), in the
 * transaction that changes the status.
 */
export const statusHistoryMigrations: Migration[] = [
  {
    id: 'core/004-campaign-status-changes',
    sql: `CREATE TABLE campaign_status_changes (
      sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
      vendor TEXT NOT NULL,
      campaign_id TEXT NOT NULL,
      status TEXT NOT NULL,
      at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX campaign_status_changes_by_sandbox ON campaign_status_changes (sandbox_id, at);`,
  },
];
