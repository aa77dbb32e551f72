import type { Migration } from '../../store/migrations.js';

export const dialnexaMigrations: Migration[] = [
  {
    id: 'dialnexa/001-campaigns-leads-call-logs-webhooks',
    sql: `
      CREATE TABLE dialnexa_campaigns (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        from_phone_number TEXT NOT NULL,
        status TEXT NOT NULL,
        max_concurrent_calls INTEGER NOT NULL,
        scheduled_at TEXT,
        max_retries INTEGER NOT NULL,
        retry_interval_minutes INTEGER NOT NULL,
        total_leads INTEGER NOT NULL DEFAULT 0,
        completed_calls INTEGER NOT NULL DEFAULT 0,
        pending_calls INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (sandbox_id, id)
      ) STRICT;

      CREATE TABLE dialnexa_leads (
        sandbox_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        campaign_id TEXT NOT NULL,
        name TEXT,
        phone_number TEXT NOT NULL,
        status TEXT NOT NULL,
        variables TEXT NOT NULL,
        call_log_id TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (sandbox_id, id),
        FOREIGN KEY (sandbox_id, campaign_id) REFERENCES dialnexa_campaigns (sandbox_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX dialnexa_leads_by_campaign ON dialnexa_leads (sandbox_id, campaign_id, status);

      -- The campaign counters follow the leads' statuses inside the writing transaction.
      -- Leads are never deleted on their own (removal is a status), only with their campaign,
      -- so no DELETE trigger is needed.
      CREATE TRIGGER dialnexa_leads_counted_on_insert AFTER INSERT ON dialnexa_leads BEGIN
        UPDATE dialnexa_campaigns SET
          total_leads = total_leads + (NEW.status <> 'removed'),
          completed_calls = completed_calls + (NEW.status IN ('completed', 'failed')),
          pending_calls = pending_calls + (NEW.status IN ('pending', 'in_progress'))
        WHERE sandbox_id = NEW.sandbox_id AND id = NEW.campaign_id;
      END;
      CREATE TRIGGER dialnexa_leads_counted_on_status AFTER UPDATE OF status ON dialnexa_leads
      WHEN NEW.status IS NOT OLD.status BEGIN
        UPDATE dialnexa_campaigns SET
          total_leads = total_leads + (NEW.status <> 'removed') - (OLD.status <> 'removed'),
          completed_calls = completed_calls + (NEW.status IN ('completed', 'failed')) - (OLD.status IN ('completed', 'failed')),
          pending_calls = pending_calls + (NEW.status IN ('pending', 'in_progress')) - (OLD.status IN ('pending', 'in_progress'))
        WHERE sandbox_id = NEW.sandbox_id AND id = NEW.campaign_id;
      END;

      CREATE TABLE dialnexa_call_logs (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        campaign_id TEXT,
        lead_id TEXT,
        call_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        status TEXT NOT NULL,
        sentiment TEXT,
        duration_seconds REAL,
        recording_url TEXT,
        analysis TEXT,
        end_reason TEXT,
        fallback_stt_transcriber_id TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (sandbox_id, id),
        FOREIGN KEY (sandbox_id, campaign_id) REFERENCES dialnexa_campaigns (sandbox_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX dialnexa_call_logs_by_campaign ON dialnexa_call_logs (sandbox_id, campaign_id, created_at);
      CREATE INDEX dialnexa_call_logs_by_time ON dialnexa_call_logs (sandbox_id, created_at);

      CREATE TABLE dialnexa_webhooks (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        secret TEXT,
        is_active INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (sandbox_id, id)
      ) STRICT;
    `,
  },
  {
    // Batch calls (the batch-calls OpenAPI): batches, and the call logs of their recipients, first calls and retries.
    id: 'dialnexa/002-batch-calls',
    sql: `
      CREATE TABLE dialnexa_batches (
        sandbox_id INTEGER NOT NULL REFERENCES sandboxes(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        title TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        agent_version_number INTEGER,
        from_number TEXT NOT NULL,
        status TEXT NOT NULL,
        -- A scheduled batch whose start the dialer is waiting for (the organization's next turn).
        armed INTEGER NOT NULL DEFAULT 0,
        -- Set when the dialer handed the organization's turn to this batch during a run.
        handed_over INTEGER NOT NULL DEFAULT 0,
        starts_at TEXT,
        ends_at TEXT,
        calling_hours_start TEXT,
        calling_hours_end TEXT,
        concurrency INTEGER NOT NULL,
        number_of_retries INTEGER NOT NULL,
        retry_interval_minutes INTEGER NOT NULL,
        total_records INTEGER NOT NULL,
        attempted_0 INTEGER NOT NULL DEFAULT 0,
        attempted_1 INTEGER NOT NULL DEFAULT 0,
        attempted_2 INTEGER NOT NULL DEFAULT 0,
        attempted_3 INTEGER NOT NULL DEFAULT 0,
        attempted_4 INTEGER NOT NULL DEFAULT 0,
        retries_1 INTEGER NOT NULL DEFAULT 0,
        retries_2 INTEGER NOT NULL DEFAULT 0,
        retries_3 INTEGER NOT NULL DEFAULT 0,
        retries_4 INTEGER NOT NULL DEFAULT 0,
        picked_up_calls INTEGER NOT NULL DEFAULT 0,
        last_call_sent_at TEXT,
        -- When the batch joined the organization's queue: its starts_at, or its creation.
        ready_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (sandbox_id, id)
      ) STRICT;
      CREATE INDEX dialnexa_batches_by_time ON dialnexa_batches (sandbox_id, created_at);
      CREATE INDEX dialnexa_batches_by_status ON dialnexa_batches (sandbox_id, status, ready_at);
      -- Which organization a batch id belongs to (the 403 of another organization's batch).
      CREATE INDEX dialnexa_batches_by_id ON dialnexa_batches (id);

      CREATE TABLE dialnexa_batch_calls (
        sandbox_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        batch_id TEXT NOT NULL,
        -- The recipient: the id of its first call log.
        recipient_id TEXT NOT NULL,
        -- 0 for the first call, n for the nth retry.
        depth INTEGER NOT NULL,
        agent_id TEXT NOT NULL,
        agent_version_number INTEGER,
        from_number TEXT NOT NULL,
        to_number TEXT NOT NULL,
        status TEXT NOT NULL,
        duration_seconds REAL NOT NULL DEFAULT 0,
        sentiment TEXT NOT NULL DEFAULT 'unknown',
        end_reason TEXT,
        started_at TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (sandbox_id, id),
        UNIQUE (sandbox_id, recipient_id, depth),
        FOREIGN KEY (sandbox_id, batch_id) REFERENCES dialnexa_batches (sandbox_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX dialnexa_batch_calls_by_time ON dialnexa_batch_calls (sandbox_id, batch_id, created_at);
      CREATE INDEX dialnexa_batch_calls_by_status ON dialnexa_batch_calls (sandbox_id, batch_id, status);

      -- The batch counters (the batch-calls OpenAPI) follow its call logs inside the writing transaction.
      CREATE TRIGGER dialnexa_batch_retry_counted AFTER INSERT ON dialnexa_batch_calls WHEN NEW.depth > 0 BEGIN
        UPDATE dialnexa_batches SET
          retries_1 = retries_1 + (NEW.depth = 1),
          retries_2 = retries_2 + (NEW.depth = 2),
          retries_3 = retries_3 + (NEW.depth = 3),
          retries_4 = retries_4 + (NEW.depth = 4)
        WHERE sandbox_id = NEW.sandbox_id AND id = NEW.batch_id;
      END;
      CREATE TRIGGER dialnexa_batch_attempt_counted AFTER UPDATE OF started_at ON dialnexa_batch_calls
      WHEN OLD.started_at IS NULL AND NEW.started_at IS NOT NULL BEGIN
        UPDATE dialnexa_batches SET
          attempted_0 = attempted_0 + (NEW.depth = 0),
          attempted_1 = attempted_1 + (NEW.depth = 1),
          attempted_2 = attempted_2 + (NEW.depth = 2),
          attempted_3 = attempted_3 + (NEW.depth = 3),
          attempted_4 = attempted_4 + (NEW.depth = 4),
          last_call_sent_at = max(coalesce(last_call_sent_at, ''), NEW.started_at)
        WHERE sandbox_id = NEW.sandbox_id AND id = NEW.batch_id;
      END;
      CREATE TRIGGER dialnexa_batch_pickup_counted AFTER UPDATE OF status ON dialnexa_batch_calls
      WHEN NEW.status = 'completed' AND OLD.status <> 'completed' BEGIN
        UPDATE dialnexa_batches SET picked_up_calls = picked_up_calls + 1
        WHERE sandbox_id = NEW.sandbox_id AND id = NEW.batch_id;
      END;
    `,
  },
  {
    // A leads upload of many rows is written in slices (src/store/imports.ts): its leads carry the
    // import's id, so a crash half-way can be undone.
    id: 'dialnexa/003-lead-imports',
    sql: `
      ALTER TABLE dialnexa_leads ADD COLUMN import_id INTEGER;
      -- An import counts its leads once per slice (a pending lead each), not once per row.
      DROP TRIGGER dialnexa_leads_counted_on_insert;
      CREATE TRIGGER dialnexa_leads_counted_on_insert AFTER INSERT ON dialnexa_leads
      WHEN NEW.import_id IS NULL BEGIN
        UPDATE dialnexa_campaigns SET
          total_leads = total_leads + (NEW.status <> 'removed'),
          completed_calls = completed_calls + (NEW.status IN ('completed', 'failed')),
          pending_calls = pending_calls + (NEW.status IN ('pending', 'in_progress'))
        WHERE sandbox_id = NEW.sandbox_id AND id = NEW.campaign_id;
      END;
    `,
  },
  {
    // A campaign's status changes, for the inspector's timeline (see src/inspector/migrations.ts).
    id: 'dialnexa/004-campaign-status-history',
    sql: `
      CREATE TRIGGER dialnexa_campaign_status_recorded AFTER UPDATE OF status ON dialnexa_campaigns
      WHEN NEW.status <> OLD.status BEGIN
        INSERT INTO campaign_status_changes (sandbox_id, vendor, campaign_id, status, at)
          VALUES (NEW.sandbox_id, 'dialnexa', NEW.id, NEW.status, NEW.updated_at);
      END;
    `,
  },
];
