import type { Migration } from '../../store/migrations.js';

export const asissoMigrations: Migration[] = [
  {
    id: 'asisso/001-campaigns-uploads-runs',
    sql: `
      -- Workflows are outside the emulated surface: empty unless a sandbox's fixtures list them,
      -- and then a campaign may only name one of them.
      CREATE TABLE asisso_workflows (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (sandbox_id, id)
      ) STRICT;

      -- A presigned upload: the row is written when the URL is issued, the content when the
      -- CSV is PUT to it.
      CREATE TABLE asisso_uploads (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        file_key TEXT NOT NULL,
        content_type TEXT NOT NULL,
        max_size INTEGER NOT NULL,
        content BLOB,
        uploaded_at TEXT,
        PRIMARY KEY (sandbox_id, file_key)
      ) STRICT;

      CREATE TABLE asisso_campaigns (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        name TEXT NOT NULL,
        workflow_id INTEGER NOT NULL,
        workflow_name TEXT NOT NULL,
        state TEXT NOT NULL,
        source_type TEXT NOT NULL,
        source_id TEXT NOT NULL,
        total_rows INTEGER,
        processed_rows INTEGER NOT NULL DEFAULT 0,
        failed_rows INTEGER NOT NULL DEFAULT 0,
        retry_config TEXT NOT NULL,
        max_concurrency INTEGER,
        schedule_config TEXT,
        circuit_breaker TEXT,
        parent_campaign_id INTEGER,
        redialed_campaign_id INTEGER,
        telephony_configuration_id INTEGER,
        telephony_configuration_name TEXT,
        rate_limit_per_second INTEGER NOT NULL DEFAULT 1,
        source_sync_status TEXT NOT NULL DEFAULT 'pending',
        source_last_synced_at TEXT,
        source_sync_error TEXT,
        logs TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        started_at TEXT,
        completed_at TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (sandbox_id, id)
      ) STRICT;

      -- The contacts a started (or redial) campaign will call, one per CSV row with a number.
      CREATE TABLE asisso_queued_runs (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        campaign_id INTEGER NOT NULL,
        source_uuid TEXT NOT NULL,
        phone_number TEXT NOT NULL,
        context_variables TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued',
        PRIMARY KEY (sandbox_id, campaign_id, source_uuid),
        FOREIGN KEY (sandbox_id, campaign_id) REFERENCES asisso_campaigns (sandbox_id, id) ON DELETE CASCADE
      ) STRICT;

      -- Calls placed for a queued contact (Dograh's workflow runs).
      CREATE TABLE asisso_runs (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        campaign_id INTEGER NOT NULL,
        source_uuid TEXT NOT NULL,
        initial_context TEXT NOT NULL,
        call_status TEXT NOT NULL,
        call_tags TEXT NOT NULL,
        disposition TEXT,
        duration_seconds REAL,
        is_completed INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (sandbox_id, id),
        FOREIGN KEY (sandbox_id, campaign_id) REFERENCES asisso_campaigns (sandbox_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX asisso_runs_by_campaign ON asisso_runs (sandbox_id, campaign_id, created_at);
      CREATE INDEX asisso_runs_by_contact ON asisso_runs (sandbox_id, campaign_id, source_uuid, created_at);
    `,
  },
  {
    id: 'asisso/002-circuit-breaker-failures',
    sql: `
      -- The failed calls a campaign's circuit breaker remembers, for the log entry written when it
      -- trips (Dograh's capped cb_recent_failures list, Dograh's campaign runner): cleared when the campaign resumes.
      CREATE TABLE asisso_breaker_failures (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        campaign_id INTEGER NOT NULL,
        run_id INTEGER NOT NULL,
        reason TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        FOREIGN KEY (sandbox_id, campaign_id) REFERENCES asisso_campaigns (sandbox_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX asisso_breaker_failures_by_campaign ON asisso_breaker_failures (sandbox_id, campaign_id, at_ms);
    `,
  },
  {
    // A campaign is read with its queue's counts (total_queued_count, executed_count): counted in
    // this index alone, they stay cheap for a queue of half a million contacts.
    id: 'asisso/003-queued-runs-by-state',
    sql: 'CREATE INDEX asisso_queued_runs_by_state ON asisso_queued_runs (sandbox_id, campaign_id, state);',
  },
  {
    // A campaign's state changes, for the inspector's timeline (see src/inspector/migrations.ts).
    id: 'asisso/004-campaign-state-history',
    sql: `
      CREATE TRIGGER asisso_campaign_state_recorded AFTER UPDATE OF state ON asisso_campaigns
      WHEN NEW.state <> OLD.state BEGIN
        INSERT INTO campaign_status_changes (sandbox_id, vendor, campaign_id, status, at)
          VALUES (NEW.sandbox_id, 'asisso', CAST(NEW.id AS TEXT), NEW.state, NEW.updated_at);
      END;
    `,
  },
];
