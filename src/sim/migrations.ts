import type { Migration } from '../store/migrations.js';

export const simMigrations: Migration[] = [
  {
    id: 'sim/001-campaigns-contacts-outbox',
    sql: `
      CREATE TABLE sim_campaigns (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        vendor TEXT NOT NULL,
        ref TEXT NOT NULL,
        state TEXT NOT NULL,
        policy TEXT NOT NULL,
        cursor_ms INTEGER NOT NULL,
        last_start_ms INTEGER,
        started INTEGER NOT NULL DEFAULT 0,
        recent TEXT NOT NULL DEFAULT '[]',
        next_event_ms INTEGER,
        PRIMARY KEY (sandbox_id, vendor, ref)
      ) STRICT;
      CREATE INDEX sim_campaigns_due ON sim_campaigns (sandbox_id, next_event_ms);

      CREATE TABLE sim_contacts (
        id INTEGER PRIMARY KEY,
        sandbox_id INTEGER NOT NULL,
        vendor TEXT NOT NULL,
        campaign_ref TEXT NOT NULL,
        ref TEXT NOT NULL,
        seq INTEGER NOT NULL,
        phone TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms INTEGER NOT NULL,
        call_started_ms INTEGER,
        call_ends_ms INTEGER,
        outcome TEXT,
        UNIQUE (sandbox_id, vendor, campaign_ref, ref),
        FOREIGN KEY (sandbox_id, vendor, campaign_ref) REFERENCES sim_campaigns (sandbox_id, vendor, ref) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX sim_contacts_active ON sim_contacts (sandbox_id, vendor, campaign_ref, status);

      CREATE TABLE webhook_outbox (
        id INTEGER PRIMARY KEY,
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        vendor TEXT NOT NULL,
        ref TEXT,
        url TEXT NOT NULL,
        headers TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        due_ms INTEGER NOT NULL,
        response_status INTEGER,
        error TEXT,
        created_at TEXT NOT NULL,
        delivered_at TEXT
      ) STRICT;
      CREATE INDEX webhook_outbox_due ON webhook_outbox (status, due_ms);
    `,
  },
  {
    id: 'sim/002-webhook-attempts',
    sql: 'ALTER TABLE webhook_outbox ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 3;',
  },
  {
    // A delivery under way writes its outcome by id once its receiver answers. Without
    // AUTOINCREMENT, SQLite gives the ids of rows a reset deleted to the next rows made, another
    // sandbox's: the late outcome would land on them. The table is made again, its rows kept.
    id: 'sim/003-webhook-ids-never-reused',
    sql: `
      CREATE TABLE webhook_outbox_next (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        vendor TEXT NOT NULL,
        ref TEXT,
        url TEXT NOT NULL,
        headers TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        due_ms INTEGER NOT NULL,
        response_status INTEGER,
        error TEXT,
        created_at TEXT NOT NULL,
        delivered_at TEXT,
        max_attempts INTEGER NOT NULL DEFAULT 3
      ) STRICT;
      INSERT INTO webhook_outbox_next (id, sandbox_id, vendor, ref, url, headers, body, status, attempts, due_ms, response_status, error, created_at, delivered_at, max_attempts)
        SELECT id, sandbox_id, vendor, ref, url, headers, body, status, attempts, due_ms, response_status, error, created_at, delivered_at, max_attempts FROM webhook_outbox;
      DROP TABLE webhook_outbox;
      ALTER TABLE webhook_outbox_next RENAME TO webhook_outbox;
      CREATE INDEX webhook_outbox_due ON webhook_outbox (status, due_ms);
    `,
  },
];
