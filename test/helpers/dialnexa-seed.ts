import type { MockApp } from '../../src/app.js';
import { randomId } from '../../src/store/ids.js';
import { DialnexaStore, type CallLogRow, type CampaignStatus, type LeadStatus } from '../../src/vendors/dialnexa/store.js';

/**
 * Writes DialNexa facts that no API call can create yet (a placed call, a completed campaign),
 * straight into the mock's store, as the dialer simulation will.
 */
export function dialnexaSeed(mock: MockApp) {
  const store = new DialnexaStore(mock.db);
  const sandboxId = (key: string) => {
    const sandbox = mock.sandboxes.resolve(key);
    if (!sandbox) throw new Error(`no sandbox for ${key}`);
    return sandbox.id;
  };
  return {
    callLog(key: string, fields: Partial<CallLogRow> = {}): CallLogRow {
      const row: CallLogRow = {
        sandbox_id: sandboxId(key),
        id: randomId('log_'),
        campaign_id: null,
        lead_id: null,
        call_id: randomId('call_'),
        agent_id: 'agt_seed',
        status: 'completed',
        sentiment: 'positive',
        duration_seconds: 42,
        recording_url: null,
        analysis: null,
        end_reason: 'user_disconnected',
        fallback_stt_transcriber_id: null,
        created_at: new Date().toISOString(),
        ...fields,
      };
      store.insertCallLog(row);
      return row;
    },
    campaignStatus(key: string, campaignId: string, status: CampaignStatus): void {
      const campaign = store.getCampaign(sandboxId(key), campaignId);
      if (!campaign) throw new Error(`no campaign ${campaignId}`);
      store.updateCampaign({ ...campaign, status });
    },
    leadStatus(key: string, leadId: string, status: LeadStatus): void {
      store.setLeadStatus(sandboxId(key), leadId, status);
    },
  };
}

export type DialnexaSeed = ReturnType<typeof dialnexaSeed>;
