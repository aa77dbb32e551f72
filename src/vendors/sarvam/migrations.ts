import type { Migration } from '../../store/migrations.js';

export const sarvamMigrations: Migration[] = [
  {
    id: 'sarvam/001-campaigns-cohorts-webhook-deliveries',
    sql: `
      -- A campaign belongs to the org and workspace of the path it was created under (Sarvam's API introduction).
      CREATE TABLE sarvam_campaigns (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        org_id TEXT NOT NULL,
        workspace_id TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        status TEXT NOT NULL,
        app_config TEXT NOT NULL,
        webhook_config TEXT,
        start_timestamp TEXT NOT NULL,
        end_timestamp TEXT NOT NULL,
        allowed_schedule TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (sandbox_id, id)
      ) STRICT;
      CREATE INDEX sarvam_campaigns_by_workspace ON sarvam_campaigns (sandbox_id, org_id, workspace_id, status);
      CREATE INDEX sarvam_campaigns_by_schedule ON sarvam_campaigns (sandbox_id, status, start_timestamp, end_timestamp);

      CREATE TABLE sarvam_cohorts (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        org_id TEXT NOT NULL,
        workspace_id TEXT NOT NULL,
        id TEXT NOT NULL,
        campaign_id TEXT NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        source_type TEXT NOT NULL,
        failure_reason TEXT,
        total_records INTEGER NOT NULL,
        valid_records INTEGER NOT NULL,
        rejected_records INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (sandbox_id, id),
        FOREIGN KEY (sandbox_id, campaign_id) REFERENCES sarvam_campaigns (sandbox_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX sarvam_cohorts_by_campaign ON sarvam_cohorts (sandbox_id, campaign_id, created_at);

      -- The valid records of a cohort, in file order: the people the dialer will call.
      CREATE TABLE sarvam_cohort_users (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        org_id TEXT NOT NULL,
        workspace_id TEXT NOT NULL,
        cohort_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        phone_number TEXT NOT NULL,
        user_identifier TEXT,
        app_variables TEXT NOT NULL,
        app_overrides TEXT,
        PRIMARY KEY (sandbox_id, cohort_id, position),
        FOREIGN KEY (sandbox_id, cohort_id) REFERENCES sarvam_cohorts (sandbox_id, id) ON DELETE CASCADE
      ) STRICT;

      -- One webhook per call attempt (Sarvam's "Webhook payload" page). seq orders deliveries and backs the list's cursors.
      CREATE TABLE sarvam_webhook_deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        org_id TEXT NOT NULL,
        workspace_id TEXT NOT NULL,
        campaign_id TEXT NOT NULL,
        attempt_id TEXT NOT NULL,
        url TEXT NOT NULL,
        status TEXT NOT NULL,
        response_status_code INTEGER,
        error TEXT,
        delivery_attempts INTEGER NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_attempted_at TEXT,
        UNIQUE (sandbox_id, attempt_id),
        FOREIGN KEY (sandbox_id, campaign_id) REFERENCES sarvam_campaigns (sandbox_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX sarvam_webhook_deliveries_by_campaign ON sarvam_webhook_deliveries (sandbox_id, campaign_id, seq);
    `,
  },
  {
    id: 'sarvam/002-delivery-queued-at',
    sql: `
      -- When a delivery was last handed to the webhook sender, on the sandbox clock: it becomes
      -- last_attempted_at once the sender reports how that try went.
      ALTER TABLE sarvam_webhook_deliveries ADD COLUMN queued_at TEXT;
    `,
  },
  {
    // A page of a workspace's campaigns in any sort order reads its rows from an index, instead
    // of sorting every campaign of the workspace: the first page costs the same at 100 or 100,000.
    id: 'sarvam/003-campaign-sort-indexes',
    sql: `
      CREATE INDEX sarvam_campaigns_by_created ON sarvam_campaigns (sandbox_id, org_id, workspace_id, created_at);
      CREATE INDEX sarvam_campaigns_by_updated ON sarvam_campaigns (sandbox_id, org_id, workspace_id, updated_at);
      CREATE INDEX sarvam_campaigns_by_name ON sarvam_campaigns (sandbox_id, org_id, workspace_id, name);
      CREATE INDEX sarvam_campaigns_by_start ON sarvam_campaigns (sandbox_id, org_id, workspace_id, start_timestamp);
      CREATE INDEX sarvam_campaigns_by_end ON sarvam_campaigns (sandbox_id, org_id, workspace_id, end_timestamp);
    `,
  },
  {
    // The total of a campaign list, kept by the database as campaigns come, change status and go,
    // so an unsearched list does not count every campaign of the workspace on each request.
    id: 'sarvam/004-campaign-counts',
    sql: `
      CREATE TABLE sarvam_campaign_counts (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        org_id TEXT NOT NULL,
        workspace_id TEXT NOT NULL,
        status TEXT NOT NULL,
        total INTEGER NOT NULL,
        PRIMARY KEY (sandbox_id, org_id, workspace_id, status)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO sarvam_campaign_counts (sandbox_id, org_id, workspace_id, status, total)
        SELECT sandbox_id, org_id, workspace_id, status, count(*) FROM sarvam_campaigns GROUP BY sandbox_id, org_id, workspace_id, status;
      CREATE TRIGGER sarvam_campaigns_counted_on_insert AFTER INSERT ON sarvam_campaigns BEGIN
        INSERT INTO sarvam_campaign_counts (sandbox_id, org_id, workspace_id, status, total)
          VALUES (NEW.sandbox_id, NEW.org_id, NEW.workspace_id, NEW.status, 1)
          ON CONFLICT DO UPDATE SET total = total + 1;
      END;
      CREATE TRIGGER sarvam_campaigns_counted_on_delete AFTER DELETE ON sarvam_campaigns BEGIN
        UPDATE sarvam_campaign_counts SET total = total - 1
          WHERE sandbox_id = OLD.sandbox_id AND org_id = OLD.org_id AND workspace_id = OLD.workspace_id AND status = OLD.status;
      END;
      CREATE TRIGGER sarvam_campaigns_counted_on_status AFTER UPDATE OF status ON sarvam_campaigns
        WHEN OLD.status IS NOT NEW.status BEGIN
        UPDATE sarvam_campaign_counts SET total = total - 1
          WHERE sandbox_id = OLD.sandbox_id AND org_id = OLD.org_id AND workspace_id = OLD.workspace_id AND status = OLD.status;
        INSERT INTO sarvam_campaign_counts (sandbox_id, org_id, workspace_id, status, total)
          VALUES (NEW.sandbox_id, NEW.org_id, NEW.workspace_id, NEW.status, 1)
          ON CONFLICT DO UPDATE SET total = total + 1;
      END;
    `,
  },
  {
    // A campaign's status changes, for the inspector's timeline (see src/inspector/migrations.ts).
    id: 'sarvam/005-campaign-status-history',
    sql: `
      CREATE TRIGGER sarvam_campaign_status_recorded AFTER UPDATE OF status ON sarvam_campaigns
      WHEN NEW.status <> OLD.status BEGIN
        INSERT INTO campaign_status_changes (sandbox_id, vendor, campaign_id, status, at)
          VALUES (NEW.sandbox_id, 'sarvam', NEW.id, NEW.status, NEW.updated_at);
      END;
    `,
  },
];
