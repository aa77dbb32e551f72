import { crypto } from '../../crypto.js';
import type { CallEnd } from '../../sim/model.js';
import type { Outcome } from '../../sim/outcomes.js';
import { localTime } from '../../sim/schedule.js';
import type { StoredAppConfig } from './campaign-settings.js';
import type { CampaignRow, CohortUserRow } from './store.js';

/**
 * One call attempt as Sarvam reports it: the payload POSTed to the campaign's webhook after every
 * attempt, connected or not (Sarvam's "Webhook payload" page). Fields Sarvam's "Webhook payload" page names but does not define are filled as the mock
 * reads them; see x-mock-inferred on `webhooks.call-attempt` in specs/sarvam.yaml.
 */
export interface AttemptPayload {
  app_id: string;
  app_version: number | null;
  attempt_id: string;
  campaign_id: string;
  cohort_id: string;
  completion_status: 'completed' | 'partial' | 'failed';
  connectivity_status: 'connected' | 'busy' | 'no_answer' | 'failed';
  next_action_status: 'retry' | 'short_duration_retry' | 'provider_error_retry' | 'internal_error_retry' | null;
  failure_reason: string | null;
  user_identifier: string | null;
  user_phone_number: string;
  agent_phone_number: string | null;
  /** Seconds of conversation; null when the call did not connect (Sarvam's "Webhook payload" page). */
  duration: number | null;
  interaction_id: string | null;
  /** 0 for the first attempt (Sarvam's "Webhook payload" page). */
  retry_attempt: number;
  /** When the call was placed, in the campaign's time zone, with its offset (Sarvam's "Webhook payload" page: `+05:30`). */
  executed_at: string;
  initial_agent_variables: Record<string, unknown>;
  final_agent_variables: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  interaction_transcript: Array<{ role: string; en_text: string }>;
}

/** Where a campaign's webhooks go, and the metadata they carry (Sarvam's "Create Campaign" page and "Webhook payload" page). */
export interface WebhookTarget {
  url: string;
  metadata: Record<string, unknown> | null;
}

interface StoredWebhookConfig {
  url: string;
  metadata: Record<string, unknown> | null;
}

/**
 * `app_config.webhook_config` (Sarvam's "Create Campaign" page's conversations example, the one Sarvam's "Webhook payload" page names), else the top-level
 * `webhook_config` of Sarvam's "Create Campaign" page's voice-agents variant; undefined when the campaign has neither, and
 * then no webhook is sent.
 */
function webhookTarget(campaign: CampaignRow): WebhookTarget | undefined {
  const app = JSON.parse(campaign.app_config) as StoredAppConfig & { webhook_config: StoredWebhookConfig | null };
  const config = app.webhook_config ?? (campaign.webhook_config === null ? null : (JSON.parse(campaign.webhook_config) as StoredWebhookConfig));
  return config ? { url: config.url, metadata: config.metadata ?? null } : undefined;
}

/** How each simulated outcome reads in Sarvam's "Webhook payload" page's terms. */
const ATTEMPT_SHAPE: Record<Outcome, { connectivity: AttemptPayload['connectivity_status']; completion: AttemptPayload['completion_status']; failure: (talkSeconds: number) => string | null }> = {
  completed: { connectivity: 'connected', completion: 'completed', failure: () => null },
  short: { connectivity: 'connected', completion: 'partial', failure: (talk) => `The call ended after ${talk} seconds` },
  voicemail: { connectivity: 'connected', completion: 'partial', failure: () => 'The call reached voicemail' },
  busy: { connectivity: 'busy', completion: 'failed', failure: () => 'The line was busy' },
  no_answer: { connectivity: 'no_answer', completion: 'failed', failure: () => 'The call was not answered' },
  failed: { connectivity: 'failed', completion: 'failed', failure: () => 'The call could not be connected' },
  provider_error: { connectivity: 'failed', completion: 'failed', failure: () => 'The telephony provider returned an error' },
  internal_error: { connectivity: 'failed', completion: 'failed', failure: () => 'An internal error stopped the call' },
};

/** What the webhook says comes next for a retried attempt, by how it ended. */
function nextAction(outcome: Outcome, connected: boolean): NonNullable<AttemptPayload['next_action_status']> {
  if (outcome === 'provider_error') return 'provider_error_retry';
  if (outcome === 'internal_error') return 'internal_error_retry';
  return connected ? 'short_duration_retry' : 'retry';
}

/**
 * An attempt id in the shape of Sarvam's "Webhook payload" page's UUID v7 (`019d392a-4f5a-7db3-904a-6ecebb9aac96`): the
 * call's start in its first 48 bits, then bits drawn from `seed`, so the same attempt always
 * gets the same id.
 */
function attemptId(at: number, seed: string): string {
  const time = at.toString(16).padStart(12, '0').slice(-12);
  const hash = crypto().createHash('sha1').update(seed).digest('hex');
  const variant = ((parseInt(hash.charAt(3), 16) & 0x3) | 0x8).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hash.slice(0, 3)}-${variant}${hash.slice(4, 7)}-${hash.slice(7, 19)}`;
}

/** A connected attempt's interaction id, in the shape of Sarvam's "Webhook payload" page's `20260329/a1b2c3d4-10:30:00-e5f6a7b8`. */
export function interactionId(campaignId: string, attemptIdValue: string, executedAt: string): string {
  const [date = '', clock = ''] = executedAt.split('T');
  return `${date.replaceAll('-', '')}/${campaignId.replace(/^camp-/, '')}-${clock.slice(0, 8)}-${attemptIdValue.slice(-8)}`;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * An instant as local time in `timezone` with its UTC offset and milliseconds.
 *
 * @example
 * localIsoTime(Date.parse('2026-03-02T05:00:00Z'), 'Asia/Kolkata'); // '2026-03-02T10:30:00.000+05:30'
 */
export function localIsoTime(ms: number, timezone: string): string {
  const local = localTime(ms, timezone);
  const millis = ((ms % 60_000) + 60_000) % 60_000;
  const offset = Math.round((Date.UTC(local.year, local.month - 1, local.day, 0, local.minute) - (ms - millis)) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const date = `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
  const clock = `${pad(Math.floor(local.minute / 60))}:${pad(local.minute % 60)}:${pad(Math.floor(millis / 1000))}.${pad(millis % 1000, 3)}`;
  return `${date}T${clock}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** What the simulated agent and person say; the mock has no agent to run, so the lines are canned. */
function transcriptOf(outcome: Outcome, variables: Record<string, unknown>, appId: string): AttemptPayload['interaction_transcript'] {
  const name = typeof variables.customer_name === 'string' ? variables.customer_name : 'there';
  const greeting = { role: 'agent', en_text: `Hello ${name}, this is a call from ${appId}.` };
  switch (outcome) {
    case 'completed':
      return [greeting, { role: 'user', en_text: 'Yes, go ahead.' }, { role: 'agent', en_text: 'Thank you for your time. Goodbye.' }];
    case 'short':
      return [greeting];
    case 'voicemail':
      return [greeting, { role: 'agent', en_text: 'Sorry we missed you; we will call again.' }];
    default:
      return [];
  }
}

/** What every attempt of a campaign shares, read from its row once. */
export interface CampaignCaller {
  campaign: CampaignRow;
  appId: string;
  appVersion: number | null;
  /** The first number of the first connection config (Sarvam's "Create Campaign" page), or null. */
  agentPhoneNumber: string | null;
  timezone: string;
  /** Where its webhooks go; undefined when nowhere. */
  target: WebhookTarget | undefined;
}

export function campaignCaller(campaign: CampaignRow): CampaignCaller {
  const app = JSON.parse(campaign.app_config) as StoredAppConfig & { connection_configs: Array<{ phone_numbers: string[] }> | null };
  return {
    campaign,
    appId: app.app_id,
    appVersion: app.app_version,
    agentPhoneNumber: app.connection_configs?.[0]?.phone_numbers[0] ?? null,
    timezone: (JSON.parse(campaign.allowed_schedule) as { timezone: string }).timezone,
    target: webhookTarget(campaign),
  };
}

/** Sarvam's "Webhook payload" page's payload for a simulated call to one user of a cohort. */
export function attemptPayload({ campaign, appId, appVersion, agentPhoneNumber, timezone }: CampaignCaller, user: CohortUserRow, call: CallEnd, target: WebhookTarget): AttemptPayload {
  const shape = ATTEMPT_SHAPE[call.outcome];
  const connected = shape.connectivity === 'connected';
  const id = attemptId(call.startedAt, `${campaign.sandbox_id}|${campaign.id}|${user.cohort_id}|${user.position}|${call.attempt}`);
  const executedAt = localIsoTime(call.startedAt, timezone);
  const variables = JSON.parse(user.app_variables) as Record<string, unknown>;
  const retried = call.retryAt !== null;
  return {
    app_id: appId,
    app_version: appVersion,
    attempt_id: id,
    campaign_id: campaign.id,
    cohort_id: user.cohort_id,
    completion_status: shape.completion,
    connectivity_status: shape.connectivity,
    next_action_status: retried ? nextAction(call.outcome, connected) : null,
    failure_reason: shape.failure(call.talkSeconds),
    user_identifier: user.user_identifier,
    user_phone_number: user.phone_number,
    agent_phone_number: agentPhoneNumber,
    duration: connected ? call.talkSeconds : null,
    interaction_id: connected ? interactionId(campaign.id, id, executedAt) : null,
    retry_attempt: call.attempt - 1,
    executed_at: executedAt,
    initial_agent_variables: variables,
    final_agent_variables: variables,
    metadata: target.metadata,
    interaction_transcript: connected ? transcriptOf(call.outcome, variables, appId) : [],
  };
}
