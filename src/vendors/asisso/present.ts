import { NO_CIRCUIT_BREAKER, type CircuitBreakerConfig, type RetryConfig, type ScheduleConfig } from './settings.js';
import type { CampaignRow, RunRow } from './store.js';

/** How Asisso's resources read on the wire (Asisso's "Update Campaign" page's response; Dograh's models, Dograh's "Create Campaign" page, "Campaign Progress" page, Dograh's code and campaign runner). */

/**
 * A stored ISO timestamp as pydantic v2 writes a UTC datetime: `Z`, and the fraction of a second
 * without its trailing zeros, or none at all.
 *
 * @example
 * pydanticTime('2026-03-01T09:00:00.250Z'); // '2026-03-01T09:00:00.25Z'
 * pydanticTime('2026-03-01T09:00:00.000Z'); // '2026-03-01T09:00:00Z'
 */
export function pydanticTime(iso: string): string;
export function pydanticTime(iso: string | null): string | null;
export function pydanticTime(iso: string | null): string | null {
  if (iso === null) return null;
  return iso.replace(/\.(\d+)Z$/, (_, fraction: string) => {
    const significant = fraction.replace(/0+$/, '');
    return significant === '' ? 'Z' : `.${significant}Z`;
  });
}

/**
 * A time as Python's `datetime.isoformat()` writes a UTC one, as Dograh stamps its log entries:
 * `+00:00`, and microseconds unless there are none.
 *
 * @example
 * pythonIsoformat('2026-03-01T09:00:00.250Z'); // '2026-03-01T09:00:00.250000+00:00'
 * pythonIsoformat('2026-03-01T09:00:00.000Z'); // '2026-03-01T09:00:00+00:00'
 */
export function pythonIsoformat(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/, (_, ms: string) => (ms === '000' ? '+00:00' : `.${ms}000+00:00`));
}

export function presentCampaign(row: CampaignRow) {
  return {
    id: row.id,
    name: row.name,
    workflow_id: row.workflow_id,
    workflow_name: row.workflow_name,
    state: row.state,
    source_type: row.source_type,
    source_id: row.source_id,
    total_rows: row.total_rows,
    processed_rows: row.processed_rows,
    failed_rows: row.failed_rows,
    created_at: pydanticTime(row.created_at),
    started_at: pydanticTime(row.started_at),
    completed_at: pydanticTime(row.completed_at),
    retry_config: JSON.parse(row.retry_config) as RetryConfig,
    max_concurrency: row.max_concurrency,
    schedule_config: row.schedule_config === null ? null : (JSON.parse(row.schedule_config) as ScheduleConfig),
    circuit_breaker: row.circuit_breaker === null ? NO_CIRCUIT_BREAKER : (JSON.parse(row.circuit_breaker) as CircuitBreakerConfig),
    executed_count: row.executed_count,
    total_queued_count: row.total_queued_count,
    parent_campaign_id: row.parent_campaign_id,
    redialed_campaign_id: row.redialed_campaign_id,
    telephony_configuration_id: row.telephony_configuration_id,
    telephony_configuration_name: row.telephony_configuration_name,
    logs: JSON.parse(row.logs) as unknown[],
  };
}

/** Dograh's campaign runner `get_campaign_status`. */
export function presentProgress(row: CampaignRow, failedCalls: number) {
  const totalRows = row.total_rows ?? 0;
  return {
    campaign_id: row.id,
    state: row.state,
    total_rows: totalRows,
    processed_rows: row.processed_rows,
    failed_calls: failedCalls,
    progress_percentage: totalRows > 0 ? (row.processed_rows / totalRows) * 100 : 0,
    source_sync: {
      status: row.source_sync_status,
      last_synced_at: pydanticTime(row.source_last_synced_at),
      error: row.source_sync_error,
    },
    rate_limit: row.rate_limit_per_second,
    started_at: pydanticTime(row.started_at),
    completed_at: pydanticTime(row.completed_at),
  };
}

/** A run in the shape of Dograh's `WorkflowRunResponseSchema` (Dograh's code); see x-mock-inferred on CampaignRun. */
export function presentRun(row: RunRow, workflowId: number) {
  const duration = { call_duration_seconds: row.duration_seconds };
  return {
    id: row.id,
    workflow_id: workflowId,
    name: `WR-${row.id}`,
    mode: 'twilio',
    created_at: pydanticTime(row.created_at),
    is_completed: row.is_completed === 1,
    transcript_url: null,
    recording_url: null,
    cost_info: duration,
    usage_info: duration,
    definition_id: null,
    initial_context: JSON.parse(row.initial_context) as Record<string, unknown>,
    gathered_context: { call_tags: JSON.parse(row.call_tags) as string[], mapped_call_disposition: row.disposition },
    call_type: 'outbound',
  };
}
