import { expect } from 'vitest';
import type { MockApp } from '../../../src/app.js';
import { SarvamStore, type CohortUserRow, type DeliveryRow, type NewDelivery } from '../../../src/vendors/sarvam/store.js';

/**
 * Reads and writes Sarvam facts that no API call exposes yet, straight in the mock's store: the
 * webhook deliveries the dialer simulation will write, and the users stored with a cohort.
 */
export function sarvamSeed(mock: MockApp) {
  const store = new SarvamStore(mock.db);
  const sandboxId = (key: string) => {
    const sandbox = mock.sandboxes.resolve(key);
    if (!sandbox) throw new Error(`no sandbox for ${key}`);
    return sandbox.id;
  };
  return {
    delivery(key: string, where: { orgId: string; workspaceId: string; campaignId: string }, fields: Partial<NewDelivery> = {}): DeliveryRow {
      const attemptId = fields.attempt_id ?? crypto.randomUUID();
      return store.insertDelivery({
        sandbox_id: sandboxId(key),
        org_id: where.orgId,
        workspace_id: where.workspaceId,
        campaign_id: where.campaignId,
        attempt_id: attemptId,
        url: 'https://example.com/hooks/sarvam',
        status: 'delivered',
        response_status_code: 200,
        error: null,
        delivery_attempts: 1,
        payload: JSON.stringify({ attempt_id: attemptId, campaign_id: where.campaignId, completion_status: 'completed' }),
        created_at: '2026-03-01T09:00:00.000Z',
        last_attempted_at: '2026-03-01T09:00:00.000Z',
        queued_at: null,
        ...fields,
      });
    },
    cohortUsers(key: string, cohortId: string): CohortUserRow[] {
      return store.cohortUsers(sandboxId(key), cohortId);
    },
  };
}

export type SarvamSeed = ReturnType<typeof sarvamSeed>;

/** Moves a sandbox's clock through the control plane, as a test outside this repository would. */
export async function advanceClock(mock: MockApp, key: string, seconds: number): Promise<void> {
  const res = await mock.app.request(`/__admin/clock/advance?key=${encodeURIComponent(key)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seconds }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}
