import { keyHash } from '../../engine/credentials.js';
import type { CampaignRow, LeadRow, ListedCallLog, WebhookRow } from './store.js';

/** How DialNexa's resources read on the wire ("Create a campaign", "Add a lead to a campaign", "List call logs for a campaign", "Register a webhook"). */

/** The organization id of a sandbox's key: derived from the key, so stable across resets and restarts. */
export function organizationId(key: string): string {
  return `org_${keyHash(key)}`;
}

export function presentCampaign(row: CampaignRow, organization: string) {
  return {
    id: row.id,
    organization_id: organization,
    name: row.name,
    agent_id: row.agent_id,
    from_phone_number: row.from_phone_number,
    status: row.status,
    max_concurrent_calls: row.max_concurrent_calls,
    scheduled_at: row.scheduled_at,
    retry_config: { max_retries: row.max_retries, retry_interval_minutes: row.retry_interval_minutes },
    total_leads: row.total_leads,
    completed_calls: row.completed_calls,
    pending_calls: row.pending_calls,
    created_at: row.created_at,
  };
}

export function presentLead(row: LeadRow) {
  const variables = JSON.parse(row.variables) as Record<string, unknown>;
  return {
    id: row.id,
    campaign_id: row.campaign_id,
    name: row.name,
    phone_number: row.phone_number,
    status: row.status,
    notes: variables,
    metadata: variables,
    call_log_id: row.call_log_id,
    created_at: row.created_at,
  };
}

export function presentCallLog(row: ListedCallLog) {
  return {
    id: row.id,
    call_id: row.call_id,
    agent_id: row.agent_id,
    status: row.status,
    sentiment: row.sentiment,
    duration_seconds: row.duration_seconds,
    recording_url: row.recording_url,
    analysis: row.analysis === null ? null : (JSON.parse(row.analysis) as Record<string, unknown>),
    created_at: row.created_at,
    end_reason: row.end_reason,
    fallback_stt_transcriber_id: row.fallback_stt_transcriber_id,
  };
}

export function presentWebhook(row: WebhookRow) {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    is_active: row.is_active === 1,
    created_at: row.created_at,
  };
}
