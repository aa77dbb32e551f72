import type { FixtureLoader } from '../../engine/vendor.js';
import { FixtureConflict } from '../../fixtures/catalog.js';
import { FIXTURE_TIME_PATTERN } from '../../fixtures/fixture-time.js';
import { interactionId } from './call-attempts.js';
import { storedAppConfig, storedSchedule, storedWebhookConfig } from './campaign-settings.js';
import { queueCohortUsers, syncCampaign } from './dialer.js';
import { actorEmail } from './present.js';
import { isLive, statusBySchedule } from './rules.js';
import { SarvamStore, type CampaignRow, type CampaignStatus, type CohortSource, type CohortUserRow, type DeliveryStatus, type NewDelivery } from './store.js';

/**
 * Sarvam fixtures (`fixtures/sarvam/*.yaml`): one workspace's campaigns, each with its cohorts,
 * the cohorts' users, and the call attempts already made to them with the webhook delivered for
 * each (Sarvam's "Webhook payload" page). The payload of each delivery is built here from the campaign, cohort and user it
 * belongs to, so a fixture never contradicts itself. Campaigns that can still dial (scheduled,
 * active, paused) join the dialer simulation with their users that no attempt was made to.
 */

interface WebhookConfigFixture {
  url: string;
  metadata?: Record<string, unknown>;
}

interface AttemptFixture {
  attempt_id: string;
  executed_at: string;
  completion_status: 'completed' | 'partial' | 'failed';
  connectivity_status: 'connected' | 'busy' | 'no_answer' | 'failed';
  next_action_status?: string | null;
  failure_reason?: string | null;
  duration?: number | null;
  final_agent_variables?: Record<string, unknown>;
  transcript?: Array<{ role: string; en_text: string }>;
  delivery: {
    url: string;
    status: DeliveryStatus;
    response_status_code?: number | null;
    error?: string | null;
    delivery_attempts: number;
    last_attempted_at?: string;
  };
}

interface UserFixture {
  phone_number: string;
  user_identifier?: string | null;
  app_variables?: Record<string, unknown>;
  app_overrides?: Record<string, string | null>;
  attempts?: AttemptFixture[];
}

interface CohortFixture {
  id: string;
  name: string;
  source_type: CohortSource;
  status: 'completed' | 'failed';
  failure_reason?: string | null;
  rejected_records?: number;
  created_by?: string;
  created_at: string;
  users?: UserFixture[];
}

interface CampaignFixture {
  id: string;
  name: string;
  description?: string | null;
  status: CampaignStatus;
  app_config: { app_id: string; app_version?: number | null; connection_configs?: Array<{ phone_numbers: string[] }>; webhook_config?: WebhookConfigFixture };
  webhook_config?: WebhookConfigFixture;
  start_timestamp: string;
  end_timestamp: string;
  allowed_schedule: Record<string, unknown>;
  created_by?: string;
  created_at: string;
  updated_at?: string;
  cohorts?: CohortFixture[];
}

interface SarvamFixture {
  org_id: string;
  workspace_id: string;
  campaigns?: CampaignFixture[];
}

const time = { type: 'string', pattern: FIXTURE_TIME_PATTERN };
const e164 = { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$' };
const email = { type: 'string', format: 'email' };
/** Org and workspace ids sit in every path (Sarvam's API introduction), so they take no slash. */
const pathSegment = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' };
const webhookConfig = {
  type: 'object',
  required: ['url'],
  additionalProperties: false,
  properties: { url: { type: 'string', pattern: '^https?://' }, metadata: { type: 'object' } },
};
const retryToggle = { type: 'object', required: ['enabled'], additionalProperties: false, properties: { enabled: { type: 'boolean' } } };

/** Sarvam's "Create Campaign" page's app_config, held to the fields the vendor declares (specs/sarvam.yaml AppConfigInput). */
const errorRetry = {
  type: 'object',
  required: ['enabled'],
  additionalProperties: false,
  properties: { enabled: { type: 'boolean' }, max_retries: { type: 'integer', minimum: 0, maximum: 20 }, retry_interval_minutes: { type: 'integer', minimum: 1 } },
} as const;

const appConfig = {
  type: 'object',
  required: ['app_id'],
  additionalProperties: false,
  properties: {
    app_id: { type: 'string', minLength: 1 },
    app_type: { enum: ['agent', 'workflow'] },
    app_version: { type: ['integer', 'null'], minimum: 0 },
    attempts_per_second: { type: 'number', minimum: 0.1, maximum: 500 },
    connection_configs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['connection_id', 'phone_numbers'],
        additionalProperties: false,
        properties: { connection_id: { type: 'string', minLength: 1 }, phone_numbers: { type: 'array', minItems: 1, items: e164 }, weight: { type: 'number', minimum: 0 } },
      },
    },
    retry_config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        max_retries: { type: 'integer', minimum: 0, maximum: 20 },
        retry_interval_minutes: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'array', items: { type: 'integer', minimum: 1 } }] },
        retry_on: {
          type: 'object',
          additionalProperties: false,
          properties: {
            busy: retryToggle,
            failed: retryToggle,
            no_answer: retryToggle,
            provider_error: errorRetry,
            internal_error: errorRetry,
            short_duration: {
              type: 'object',
              required: ['enabled'],
              additionalProperties: false,
              properties: { enabled: { type: 'boolean' }, threshold_seconds: { type: 'integer', minimum: 1 } },
            },
          },
        },
      },
    },
    webhook_config: webhookConfig,
  },
};

const hhmm = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' };
const allowedSchedule = {
  type: 'object',
  required: ['allowed_start_time', 'allowed_end_time', 'allowed_days', 'timezone'],
  additionalProperties: false,
  properties: {
    allowed_start_time: hhmm,
    allowed_end_time: hhmm,
    allowed_days: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] } },
    // An IANA name (`Asia/Kolkata`), as the API's model check requires; see model-validators.ts.
    timezone: { type: 'string', pattern: '^(UTC|[A-Z][A-Za-z0-9_+-]*(/[A-Z][A-Za-z0-9_+-]*)+)$' },
  },
};

/** One call attempt and the webhook sent for it (Sarvam's "Webhook payload" page): the fields the campaign and user do not give. */
const attempt = {
  type: 'object',
  required: ['attempt_id', 'executed_at', 'completion_status', 'connectivity_status', 'delivery'],
  additionalProperties: false,
  properties: {
    attempt_id: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
    executed_at: time,
    completion_status: { enum: ['completed', 'partial', 'failed'] },
    connectivity_status: { enum: ['connected', 'busy', 'no_answer', 'failed'] },
    next_action_status: { enum: ['retry', 'reschedule', 'business_retry', 'short_duration_retry', 'provider_error_retry', 'internal_error_retry', null] },
    failure_reason: { type: ['string', 'null'] },
    duration: { type: ['integer', 'null'], minimum: 0 },
    final_agent_variables: { type: 'object' },
    transcript: {
      type: 'array',
      items: { type: 'object', required: ['role', 'en_text'], additionalProperties: false, properties: { role: { type: 'string', minLength: 1 }, en_text: { type: 'string' } } },
    },
    delivery: {
      type: 'object',
      required: ['url', 'status', 'delivery_attempts'],
      additionalProperties: false,
      properties: {
        url: { type: 'string', pattern: '^https?://' },
        status: { enum: ['pending', 'delivered', 'failed'] },
        response_status_code: { type: ['integer', 'null'], minimum: 100, maximum: 599 },
        error: { type: ['string', 'null'] },
        delivery_attempts: { type: 'integer', minimum: 0 },
        last_attempted_at: time,
      },
      allOf: [
        { if: { properties: { status: { const: 'delivered' } } }, then: { required: ['response_status_code'], properties: { response_status_code: { type: 'integer' } } } },
        { if: { properties: { status: { const: 'failed' } } }, then: { required: ['error'], properties: { error: { type: 'string' } } } },
      ],
    },
  },
  // Sarvam's "Webhook payload" page: duration is "null if not connected", and only a connected call has a transcript.
  if: { properties: { connectivity_status: { const: 'connected' } } },
  then: { required: ['duration'], properties: { duration: { type: 'integer' } } },
  else: { properties: { duration: { type: 'null' }, transcript: { type: 'array', maxItems: 0 } } },
};

const cohort = {
  type: 'object',
  required: ['id', 'name', 'source_type', 'status', 'created_at'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^coh-[a-z0-9]{8}$' },
    name: { type: 'string', minLength: 1, maxLength: 50 },
    source_type: { enum: ['file_upload', 'url', 'stream'] },
    status: { enum: ['completed', 'failed'] },
    failure_reason: { type: ['string', 'null'], minLength: 1 },
    rejected_records: { type: 'integer', minimum: 0 },
    created_by: email,
    created_at: time,
    users: {
      type: 'array',
      items: {
        type: 'object',
        required: ['phone_number'],
        additionalProperties: false,
        properties: {
          phone_number: e164,
          user_identifier: { type: ['string', 'null'] },
          app_variables: { type: 'object' },
          app_overrides: {
            type: 'object',
            additionalProperties: false,
            properties: { initial_language_name: { type: ['string', 'null'] }, initial_state_name: { type: ['string', 'null'] }, initial_bot_message: { type: ['string', 'null'] } },
          },
          attempts: { type: 'array', items: attempt },
        },
      },
    },
  },
  // A failed cohort has a reason and no records (as the API stores one, see handlers/cohorts.ts).
  if: { properties: { status: { const: 'failed' } } },
  then: { required: ['failure_reason'], properties: { failure_reason: { type: 'string' }, users: { type: 'array', maxItems: 0 }, rejected_records: { type: 'integer', const: 0 } } },
  else: { properties: { failure_reason: { type: 'null' } } },
};

/**
 * Refuses a campaign whose window is reversed, or a `scheduled` / `active` one whose schedule
 * gives another status on the sandbox clock: the clock would move it at once (startDueCampaigns,
 * and the dialer simulation at end_timestamp), so the fixture would not show what it says.
 * (`ended` may come before end_timestamp, Sarvam's "Campaign lifecycle" page: "all contacts dialed"; `paused` and `cancelled` do
 * not follow the clock.)
 * A FixtureConflict, so the control plane answers it as a 409 with this message.
 */
function assertSettled(campaign: CampaignFixture, start: string, end: string, now: Date): void {
  if (Date.parse(end) <= Date.parse(start)) {
    throw new FixtureConflict(`campaign-mock: fixture campaign ${campaign.id} ends (${end}) before it starts (${start}); give it an end_timestamp after its start_timestamp`);
  }
  if (!isLive(campaign.status)) return;
  const bySchedule = statusBySchedule(start, end, now);
  if (bySchedule !== campaign.status) {
    throw new FixtureConflict(
      `campaign-mock: fixture campaign ${campaign.id} is '${campaign.status}', but at ${now.toISOString()} on the sandbox clock its window ${start} – ${end} makes it '${bySchedule}', and the mock would move it there at once; write its times relative to the clock (e.g. start_timestamp: +2d) or change its status`,
    );
  }
}

/** Sarvam fixtures: campaigns of one org and workspace, their cohorts and users, and webhook deliveries. */
export const sarvamFixtures: FixtureLoader = {
  schema: {
    type: 'object',
    required: ['org_id', 'workspace_id'],
    additionalProperties: false,
    properties: {
      description: { type: 'string' },
      org_id: pathSegment,
      workspace_id: pathSegment,
      campaigns: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name', 'status', 'app_config', 'start_timestamp', 'end_timestamp', 'allowed_schedule', 'created_at'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', pattern: '^camp-[a-z0-9]{8}$' },
            name: { type: 'string', pattern: '^[\\w\\- ]{1,50}$' },
            description: { type: ['string', 'null'], maxLength: 150 },
            status: { enum: ['scheduled', 'active', 'paused', 'ended', 'cancelled'] },
            app_config: appConfig,
            webhook_config: webhookConfig,
            start_timestamp: time,
            end_timestamp: time,
            allowed_schedule: allowedSchedule,
            created_by: email,
            created_at: time,
            updated_at: time,
            cohorts: { type: 'array', items: cohort },
          },
        },
      },
    },
  },

  load(db, sandbox, data, time, { simulator }) {
    const store = new SarvamStore(db);
    const fixture = data as SarvamFixture;
    const now = new Date(time('now'));
    const owner = { sandbox_id: sandbox.id, org_id: fixture.org_id, workspace_id: fixture.workspace_id };
    const apiKeyUser = actorEmail(sandbox);
    const deliveries: NewDelivery[] = [];
    /** Per campaign that can still dial, its users not called yet. */
    const toDial = new Map<string, CohortUserRow[]>();

    db.transaction(() => {
      for (const campaign of fixture.campaigns ?? []) {
        const start = time(campaign.start_timestamp);
        const end = time(campaign.end_timestamp);
        assertSettled(campaign, start, end, now);
        const createdBy = campaign.created_by ?? apiKeyUser;
        store.insertCampaign({
          ...owner,
          id: campaign.id,
          name: campaign.name,
          description: campaign.description ?? null,
          status: campaign.status,
          app_config: storedAppConfig(campaign.app_config),
          webhook_config: storedWebhookConfig(campaign.webhook_config),
          start_timestamp: start,
          end_timestamp: end,
          allowed_schedule: storedSchedule(campaign.allowed_schedule),
          created_by: createdBy,
          updated_by: createdBy,
          created_at: time(campaign.created_at),
          updated_at: time(campaign.updated_at ?? campaign.created_at),
        });

        const undialed: CohortUserRow[] = [];
        if (campaign.status === 'scheduled' || campaign.status === 'active' || campaign.status === 'paused') toDial.set(campaign.id, undialed);
        // Sarvam's "Create Campaign" page has webhook_config inside app_config (conversations) or at the top (voice agents).
        const metadata = (campaign.webhook_config ?? campaign.app_config.webhook_config)?.metadata ?? null;
        const agentPhoneNumber = campaign.app_config.connection_configs?.[0]?.phone_numbers[0] ?? null;
        for (const cohort of campaign.cohorts ?? []) {
          const users = cohort.users ?? [];
          const rejected = cohort.rejected_records ?? 0;
          const cohortBy = cohort.created_by ?? apiKeyUser;
          const userRows = users.map((user, position) => ({
            ...owner,
            cohort_id: cohort.id,
            position,
            phone_number: user.phone_number,
            user_identifier: user.user_identifier ?? null,
            app_variables: JSON.stringify(user.app_variables ?? {}),
            app_overrides: user.app_overrides ? JSON.stringify(user.app_overrides) : null,
          }));
          store.insertCohort(
            {
              ...owner,
              id: cohort.id,
              campaign_id: campaign.id,
              name: cohort.name,
              status: cohort.status,
              source_type: cohort.source_type,
              failure_reason: cohort.failure_reason ?? null,
              total_records: users.length + rejected,
              valid_records: users.length,
              rejected_records: rejected,
              created_by: cohortBy,
              updated_by: cohortBy,
              created_at: time(cohort.created_at),
              updated_at: time(cohort.created_at),
            },
            userRows,
          );
          // A user with attempts is left as the fixture tells it: its retries are not simulated.
          undialed.push(...userRows.filter((_, position) => (users[position]?.attempts ?? []).length === 0));

          for (const user of users) {
            (user.attempts ?? []).forEach((attempt, retryAttempt) => {
              const executedAt = time(attempt.executed_at);
              const connected = attempt.connectivity_status === 'connected';
              const initialVariables = user.app_variables ?? {};
              // The webhook goes out when the call ends.
              const createdAt = new Date(Date.parse(executedAt) + (attempt.duration ?? 0) * 1000).toISOString();
              const payload = {
                app_id: campaign.app_config.app_id,
                app_version: campaign.app_config.app_version ?? null,
                attempt_id: attempt.attempt_id,
                campaign_id: campaign.id,
                cohort_id: cohort.id,
                completion_status: attempt.completion_status,
                connectivity_status: attempt.connectivity_status,
                next_action_status: attempt.next_action_status ?? null,
                failure_reason: attempt.failure_reason ?? null,
                user_identifier: user.user_identifier ?? null,
                user_phone_number: user.phone_number,
                agent_phone_number: agentPhoneNumber,
                duration: connected ? (attempt.duration as number) : null,
                interaction_id: connected ? interactionId(campaign.id, attempt.attempt_id, executedAt) : null,
                retry_attempt: retryAttempt,
                executed_at: executedAt,
                initial_agent_variables: initialVariables,
                final_agent_variables: attempt.final_agent_variables ?? initialVariables,
                metadata,
                interaction_transcript: attempt.transcript ?? [],
              };
              const { delivery } = attempt;
              deliveries.push({
                ...owner,
                campaign_id: campaign.id,
                attempt_id: attempt.attempt_id,
                url: delivery.url,
                status: delivery.status,
                response_status_code: delivery.response_status_code ?? null,
                error: delivery.error ?? null,
                delivery_attempts: delivery.delivery_attempts,
                payload: JSON.stringify(payload),
                created_at: createdAt,
                last_attempted_at: delivery.last_attempted_at ? time(delivery.last_attempted_at) : delivery.delivery_attempts > 0 ? createdAt : null,
                queued_at: null,
              });
            });
          }
        }
      }
      // A delivery's seq orders the list and its cursors (store.listDeliveries), so the oldest
      // goes in first, whatever order the file lists the attempts in.
      deliveries.sort((a, b) => a.created_at.localeCompare(b.created_at));
      for (const delivery of deliveries) store.insertDelivery(delivery);
      for (const [campaignId, users] of toDial) {
        const campaign = store.campaignById(sandbox.id, campaignId) as CampaignRow;
        syncCampaign(simulator, campaign, now.getTime());
        queueCohortUsers(simulator, campaign, users, now.getTime());
      }
    })();
  },
};
