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
];
