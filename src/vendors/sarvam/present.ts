import { keyHash } from '../../engine/credentials.js';
import type { Sandbox } from '../../store/sandboxes.js';
import type { StoredAppConfig } from './campaign-settings.js';
import type { CampaignRow, CohortRow, DeliveryRow } from './store.js';

/** How Sarvam's resources read on the wire (Sarvam's "Create Campaign" page, S3, Sarvam's cohort pages and "Webhook payload" page). */

/**
 * The email behind a key, for created_by / updated_by (Sarvam's "Create Campaign" page shows an email): derived from the key,
 * so stable across resets and restarts.
 */
export function actorEmail(sandbox: Sandbox): string {
  return `api-key-${keyHash(sandbox.key).slice(0, 8)}@example.com`;
}

/** What create, update and the status change answer, in Sarvam's "Create Campaign" page's field order. */
export function presentSummary(row: CampaignRow) {
  const app = JSON.parse(row.app_config) as StoredAppConfig;
  return {
    name: row.name,
    campaign_id: row.id,
    status: row.status,
    app_id: app.app_id,
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
    description: row.description,
    app_type: app.app_type,
    app_version: app.app_version,
    updated_by: row.updated_by,
  };
}

/** The full campaign of get-campaign (S3). */
export function presentCampaign(row: CampaignRow) {
  return {
    ...presentSummary(row),
    app_config: JSON.parse(row.app_config) as StoredAppConfig,
    start_timestamp: row.start_timestamp,
    end_timestamp: row.end_timestamp,
    allowed_schedule: JSON.parse(row.allowed_schedule) as Record<string, unknown>,
    webhook_config: row.webhook_config === null ? null : (JSON.parse(row.webhook_config) as Record<string, unknown>),
  };
}

/** Sarvam's cohort pages's cohort object, plus why a failed one failed. */
export function presentCohort(row: CohortRow) {
  return {
    name: row.name,
    cohort_id: row.id,
    status: row.status,
    source_type: row.source_type,
    failure_reason: row.failure_reason,
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
    result: { total_records: row.total_records, valid_records: row.valid_records, rejected_records: row.rejected_records },
    updated_by: row.updated_by,
  };
}

export function presentDelivery(row: DeliveryRow) {
  return {
    attempt_id: row.attempt_id,
    campaign_id: row.campaign_id,
    url: row.url,
    status: row.status,
    response_status_code: row.response_status_code,
    error: row.error,
    delivery_attempts: row.delivery_attempts,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    created_at: row.created_at,
    last_attempted_at: row.last_attempted_at,
  };
}
