import type { FixtureLoader } from '../../engine/vendor.js';
import { FIXTURE_TIME_PATTERN } from '../../fixtures/fixture-time.js';
import { randomId } from '../../store/ids.js';
import { queueLeads, syncCampaign } from './dialer.js';
import { DialnexaStore, type CampaignRow, type CampaignStatus, type LeadStatus } from './store.js';

interface CallFixture {
  id?: string;
  status: string;
  sentiment?: string | null;
  duration_seconds?: number | null;
  end_reason?: string | null;
  analysis?: Record<string, unknown> | null;
  recording_url?: string | null;
  created_at: string;
}

interface LeadFixture {
  id: string;
  name?: string | null;
  phone_number: string;
  status: LeadStatus;
  notes?: Record<string, string | number | boolean>;
  created_at: string;
  call?: CallFixture;
}

interface CampaignFixture {
  id: string;
  name: string;
  agent_id: string;
  from_phone_number: string;
  status: CampaignStatus;
  max_concurrent_calls: number;
  scheduled_at?: string | null;
  retry_config: { max_retries: number; retry_interval_minutes: number };
  created_at: string;
  leads?: LeadFixture[];
}

interface DialnexaFixture {
  campaigns?: CampaignFixture[];
  call_logs?: Array<CallFixture & { agent_id: string }>;
  webhooks?: Array<{ id: string; url: string; events: string[]; secret?: string; is_active?: boolean; created_at: string }>;
}

const time = { type: 'string', pattern: FIXTURE_TIME_PATTERN };
const call = {
  type: 'object',
  required: ['status', 'created_at'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^log_[a-z0-9]{12}$' },
    status: { enum: ['created', 'initiated', 'sent', 'completed', 'did_not_pick', 'busy', 'no_answer', 'failed', 'cancelled', 'retry_expired'] },
    sentiment: { enum: ['positive', 'neutral', 'negative', null] },
    duration_seconds: { type: ['number', 'null'], minimum: 0 },
    end_reason: { type: ['string', 'null'] },
    analysis: { type: ['object', 'null'] },
    recording_url: { type: ['string', 'null'] },
    created_at: time,
  },
};

/** DialNexa fixtures: campaigns with their leads and the leads' calls, other call logs, webhooks. */
export const dialnexaFixtures: FixtureLoader = {
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      description: { type: 'string' },
      campaigns: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name', 'agent_id', 'from_phone_number', 'status', 'max_concurrent_calls', 'retry_config', 'created_at'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', pattern: '^cmp_[a-z0-9]+$' },
            name: { type: 'string', minLength: 1 },
            agent_id: { type: 'string', minLength: 1 },
            from_phone_number: { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$' },
            status: { enum: ['draft', 'active', 'running', 'paused', 'completed', 'cancelled'] },
            max_concurrent_calls: { type: 'integer', minimum: 1 },
            scheduled_at: { oneOf: [time, { type: 'null' }] },
            retry_config: {
              type: 'object',
              required: ['max_retries', 'retry_interval_minutes'],
              additionalProperties: false,
              properties: { max_retries: { type: 'integer', minimum: 0 }, retry_interval_minutes: { type: 'integer', minimum: 1 } },
            },
            created_at: time,
            leads: {
              type: 'array',
              items: {
                type: 'object',
                required: ['id', 'phone_number', 'status', 'created_at'],
                additionalProperties: false,
                properties: {
                  id: { type: 'string', pattern: '^lead_[a-z0-9]{12}$' },
                  name: { type: ['string', 'null'] },
                  phone_number: { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$' },
                  status: { enum: ['pending', 'in_progress', 'completed', 'failed', 'removed'] },
                  notes: { type: 'object', maxProperties: 15, additionalProperties: { type: ['string', 'number', 'boolean'] } },
                  created_at: time,
                  call,
                },
              },
            },
          },
        },
      },
      call_logs: { type: 'array', items: { ...call, required: [...call.required, 'agent_id'], properties: { ...call.properties, agent_id: { type: 'string' } } } },
      webhooks: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'url', 'events', 'created_at'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', pattern: '^wh_[a-z0-9]{12}$' },
            url: { type: 'string', pattern: '^https?://' },
            events: { type: 'array', items: { type: 'string' } },
            secret: { type: 'string' },
            is_active: { type: 'boolean' },
            created_at: time,
          },
        },
      },
    },
  },

  load(db, sandbox, data, time, { simulator }) {
    const store = new DialnexaStore(db);
    const fixture = data as DialnexaFixture;
    const callRow = (c: CallFixture, agentId: string, campaignId: string | null, leadId: string | null) => ({
      sandbox_id: sandbox.id,
      id: c.id ?? randomId('log_'),
      campaign_id: campaignId,
      lead_id: leadId,
      call_id: randomId('call_'),
      agent_id: agentId,
      status: c.status,
      sentiment: c.sentiment ?? null,
      duration_seconds: c.duration_seconds ?? null,
      recording_url: c.recording_url ?? null,
      analysis: c.analysis ? JSON.stringify(c.analysis) : null,
      end_reason: c.end_reason ?? null,
      fallback_stt_transcriber_id: null,
      created_at: time(c.created_at),
    });
    db.transaction(() => {
      for (const campaign of fixture.campaigns ?? []) {
        store.insertCampaign({
          sandbox_id: sandbox.id,
          id: campaign.id,
          name: campaign.name,
          agent_id: campaign.agent_id,
          from_phone_number: campaign.from_phone_number,
          status: campaign.status,
          max_concurrent_calls: campaign.max_concurrent_calls,
          scheduled_at: campaign.scheduled_at ? time(campaign.scheduled_at) : null,
          max_retries: campaign.retry_config.max_retries,
          retry_interval_minutes: campaign.retry_config.retry_interval_minutes,
          created_at: time(campaign.created_at),
          updated_at: time(campaign.created_at),
        });
        for (const lead of campaign.leads ?? []) {
          const log = lead.call ? callRow(lead.call, campaign.agent_id, campaign.id, lead.id) : undefined;
          if (log) store.insertCallLog(log);
          store.insertLead({
            sandbox_id: sandbox.id,
            id: lead.id,
            campaign_id: campaign.id,
            name: lead.name ?? null,
            phone_number: lead.phone_number,
            status: lead.status,
            variables: JSON.stringify(lead.notes ?? {}),
            call_log_id: log?.id ?? null,
            created_at: time(lead.created_at),
          });
        }
      }
      // Campaigns that may still dial join the simulation with the leads they have yet to call.
      for (const campaign of fixture.campaigns ?? []) {
        if (campaign.status === 'completed' || campaign.status === 'cancelled') continue;
        const row = store.getCampaign(sandbox.id, campaign.id) as CampaignRow;
        const at = Date.parse(time('now'));
        syncCampaign(simulator, row, at);
        queueLeads(simulator, row, store.leadsToDial(sandbox.id, campaign.id), at);
      }
      for (const log of fixture.call_logs ?? []) store.insertCallLog(callRow(log, log.agent_id, null, null));
      for (const webhook of fixture.webhooks ?? []) {
        store.insertWebhook({
          sandbox_id: sandbox.id,
          id: webhook.id,
          url: webhook.url,
          events: JSON.stringify(webhook.events),
          secret: webhook.secret ?? null,
          is_active: webhook.is_active === false ? 0 : 1,
          created_at: time(webhook.created_at),
        });
      }
    })();
  },
};
