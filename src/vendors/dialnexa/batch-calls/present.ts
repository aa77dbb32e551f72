import type { BatchCallRow, BatchRow } from './store.js';

/** How DialNexa's batches and their calls read on the wire (the batch-calls OpenAPI). */

/** A batch as `GET /v1/batch-calls` lists it, with its progress counters. */
export function presentBatchSummary(row: BatchRow) {
  const retries = [row.retries_1, row.retries_2, row.retries_3, row.retries_4];
  const attempted = [row.attempted_0, row.attempted_1, row.attempted_2, row.attempted_3, row.attempted_4];
  const stages = Math.min(row.number_of_retries, retries.length);
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    total_records: row.total_records,
    createdAt: row.created_at,
    total_lead_count: row.total_records,
    sent_lead_count: row.attempted_0,
    // An answered call is never retried, so recipients who answered and answered calls are as many.
    picked_up_lead_count: row.picked_up_calls,
    picked_up_calls: row.picked_up_calls,
    last_call_sent_at: row.last_call_sent_at,
    number_of_retries: row.number_of_retries,
    first_retry_count: row.retries_1,
    second_retry_count: row.retries_2,
    third_retry_count: row.retries_3,
    fourth_retry_count: row.retries_4,
    attempt_stages: Array.from({ length: stages + 1 }, (_, depth) => ({
      depth,
      attempted: attempted[depth] as number,
      total: depth === 0 ? row.total_records : (retries[depth - 1] as number),
    })),
  };
}

/** A call of a batch: the batch-calls OpenAPI's example fields, its schema's `duration` (seconds), `sentiment` and `end_reason`. */
export function presentBatchCall(row: BatchCallRow) {
  return {
    id: row.id,
    batch_id: row.batch_id,
    agent_id: row.agent_id,
    from_number: row.from_number,
    to_number: row.to_number,
    status: row.status,
    call_direction: 'outbound',
    type: 'phone',
    duration: row.duration_seconds,
    sentiment: row.sentiment,
    end_reason: row.end_reason,
    createdAt: row.created_at,
  };
}

export type PresentedBatchCall = ReturnType<typeof presentBatchCall>;
