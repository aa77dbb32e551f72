import type { MockApp } from '../../../src/app.js';
import { AsissoStore, type CampaignState } from '../../../src/vendors/asisso/store.js';

export interface SeedRun {
  call_status?: string;
  call_tags?: string[];
  disposition?: string | null;
  duration_seconds?: number | null;
  is_completed?: boolean;
  created_at?: string;
}

/**
 * Writes Asisso facts straight into the mock's store where a case needs a history the dialer
 * does not produce (a call with given tags, disposition or time, a campaign marked completed
 * part-way, a sandbox's workflow list). Seeded facts bypass the dialer simulation: a case that
 * seeds calls keeps the dialer away with a calling window that does not open while it runs.
 */
export function asissoSeed(mock: MockApp) {
  const store = new AsissoStore(mock.db);
  const sandboxId = (key: string) => {
    const sandbox = mock.sandboxes.resolve(key);
    if (!sandbox) throw new Error(`no sandbox for ${key}`);
    return sandbox.id;
  };
  const queuedContact = mock.db.prepare<[number, number, string], { source_uuid: string; context_variables: string }>(
    'SELECT source_uuid, context_variables FROM asisso_queued_runs WHERE sandbox_id = ? AND campaign_id = ? AND phone_number = ?',
  );
  return {
    campaignState(key: string, campaignId: number, state: CampaignState): void {
      const campaign = store.getCampaign(sandboxId(key), campaignId);
      if (!campaign) throw new Error(`no campaign ${campaignId}`);
      const now = new Date().toISOString();
      store.updateCampaign({ ...campaign, state, completed_at: state === 'completed' ? now : campaign.completed_at, updated_at: now });
    },
    workflow(key: string, id: number, name: string): void {
      store.insertWorkflow(sandboxId(key), id, name);
    },
    /** A call placed for the queued contact with this phone number. */
    run(key: string, campaignId: number, phoneNumber: string, fields: SeedRun = {}): number {
      const id = sandboxId(key);
      const queued = queuedContact.get(id, campaignId, phoneNumber);
      if (!queued) throw new Error(`campaign ${campaignId} has no queued contact ${phoneNumber}`);
      return store.insertRun({
        sandbox_id: id,
        campaign_id: campaignId,
        source_uuid: queued.source_uuid,
        initial_context: queued.context_variables,
        call_status: fields.call_status ?? 'completed',
        call_tags: JSON.stringify(fields.call_tags ?? []),
        disposition: fields.disposition ?? null,
        duration_seconds: fields.duration_seconds ?? null,
        is_completed: fields.is_completed === false ? 0 : 1,
        created_at: fields.created_at ?? new Date().toISOString(),
      }).id;
    },
  };
}

export type AsissoSeed = ReturnType<typeof asissoSeed>;
