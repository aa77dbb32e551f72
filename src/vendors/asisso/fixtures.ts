import type { Database } from 'better-sqlite3';
import type { FixtureLoader, VendorEnvironment } from '../../engine/vendor.js';
import { FIXTURE_TIME_PATTERN } from '../../fixtures/fixture-time.js';
import { E164 } from '../../formats/phone.js';
import type { Sandbox } from '../../store/sandboxes.js';
import { readContacts } from './contacts.js';
import { campaignCounters, isRetryDue } from './counters.js';
import { organizationConcurrencyLimit, queueContacts, syncCampaign } from './dialer.js';
import { pythonIsoformat } from './present.js';
import { REDIAL_TAGS } from './rules.js';
import {
  circuitBreakerFrom,
  DEFAULT_RETRY_CONFIG,
  retryConfigFrom,
  scheduleConfigFrom,
  type CircuitBreakerConfig,
  type RetryConfig,
  type TimeSlot,
} from './settings.js';
import { AsissoStore, type CampaignRecord, type CampaignState, type DialContact, type QueuedRun } from './store.js';

/**
 * Asisso fixtures: an organization's workflows, its uploaded contact CSVs, and its campaigns with
 * the calls already placed. A fixture states what happened (contacts, calls, states, times); the
 * counters Asisso reports are worked out from it, so they always agree with the runs.
 */

/** Written in file keys and log entries where the organization's number goes; the mock's organization is the sandbox. */
const ORGANIZATION = '{organization_id}';

interface SourceFixture {
  file_key: string;
  uploaded_at: string;
  /** Phone number (E.164) → the contact's other CSV columns. */
  contacts: Record<string, Record<string, string>>;
}

interface CallFixture {
  phone_number: string;
  call_status: string;
  call_tags?: string[];
  disposition?: string | null;
  duration_seconds?: number | null;
  created_at: string;
}

interface LogFixture {
  ts: string;
  level: string;
  event: string;
  message: string;
  details?: Record<string, unknown>;
}

interface CampaignFixture {
  id: number;
  name: string;
  workflow_id: number;
  state: CampaignState;
  source_id: string;
  telephony_configuration?: { id: number; name: string };
  retry_config?: Partial<RetryConfig>;
  max_concurrency?: number | null;
  schedule_config?: { enabled?: boolean; timezone?: string; slots: TimeSlot[] };
  circuit_breaker?: Partial<CircuitBreakerConfig>;
  rate_limit_per_second?: number;
  parent_campaign_id?: number;
  created_at: string;
  started_at?: string;
  completed_at?: string;
  logs?: LogFixture[];
  calls?: CallFixture[];
}

interface AsissoFixture {
  workflows?: Array<{ id: number; name: string }>;
  sources?: SourceFixture[];
  campaigns?: CampaignFixture[];
}

/** Telephony statuses of a call still going on (Dograh's `TelephonyCallStatus`); every other one has ended. */
const CALL_IN_PROGRESS = ['initiated', 'ringing', 'in-progress', 'answered'];
const CALL_STATUSES = [...CALL_IN_PROGRESS, 'completed', 'failed', 'busy', 'no-answer', 'canceled', 'error'];

const time = { type: 'string', pattern: FIXTURE_TIME_PATTERN };
const phone = { type: 'string', pattern: E164.source };
const fileKey = { type: 'string', pattern: '^campaigns/\\{organization_id\\}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_[A-Za-z0-9._-]+\\.csv$' };
const forbidden = false;

/** The settings as the API takes them (specs/asisso.yaml): keys left out take the model's defaults. */
const settings = {
  retry_config: {
    type: 'object',
    additionalProperties: false,
    properties: {
      enabled: { type: 'boolean' },
      max_retries: { type: 'integer', minimum: 0, maximum: 10 },
      retry_delay_seconds: { type: 'integer', minimum: 30, maximum: 3600 },
      retry_on_busy: { type: 'boolean' },
      retry_on_no_answer: { type: 'boolean' },
      retry_on_voicemail: { type: 'boolean' },
    },
  },
  max_concurrency: { type: ['integer', 'null'], minimum: 1, maximum: 100 },
  schedule_config: {
    type: 'object',
    required: ['slots'],
    additionalProperties: false,
    properties: {
      enabled: { type: 'boolean' },
      timezone: { type: 'string', pattern: '^[A-Z][A-Za-z_+-]*(/[A-Z][A-Za-z0-9_+-]*)*$' },
      slots: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: {
          type: 'object',
          required: ['day_of_week', 'start_time', 'end_time'],
          additionalProperties: false,
          properties: {
            day_of_week: { type: 'integer', minimum: 0, maximum: 6 },
            start_time: { type: 'string', pattern: '^\\d{2}:\\d{2}$' },
            end_time: { type: 'string', pattern: '^\\d{2}:\\d{2}$' },
          },
        },
      },
    },
  },
  circuit_breaker: {
    type: 'object',
    additionalProperties: false,
    properties: {
      enabled: { type: 'boolean' },
      failure_threshold: { type: 'number', minimum: 0, maximum: 1 },
      window_seconds: { type: 'integer', minimum: 30, maximum: 600 },
      min_calls_in_window: { type: 'integer', minimum: 1, maximum: 100 },
    },
  },
};

const campaign = {
  type: 'object',
  required: ['id', 'name', 'workflow_id', 'state', 'source_id', 'created_at'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer', minimum: 1 },
    name: { type: 'string', minLength: 1, maxLength: 255 },
    workflow_id: { type: 'integer', minimum: 1 },
    state: { enum: ['draft', 'running', 'paused', 'completed', 'failed'] },
    source_id: fileKey,
    telephony_configuration: {
      type: 'object',
      required: ['id', 'name'],
      additionalProperties: false,
      properties: { id: { type: 'integer', minimum: 1 }, name: { type: 'string', minLength: 1 } },
    },
    ...settings,
    rate_limit_per_second: { type: 'integer', minimum: 1 },
    parent_campaign_id: { type: 'integer', minimum: 1 },
    created_at: time,
    started_at: time,
    completed_at: time,
    logs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ts', 'level', 'event', 'message'],
        additionalProperties: false,
        properties: {
          ts: time,
          level: { enum: ['info', 'warning', 'error'] },
          event: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
          message: { type: 'string', minLength: 1 },
          details: { type: 'object' },
        },
      },
    },
    calls: {
      type: 'array',
      items: {
        type: 'object',
        required: ['phone_number', 'call_status', 'created_at'],
        additionalProperties: false,
        properties: {
          phone_number: phone,
          call_status: { enum: CALL_STATUSES },
          call_tags: { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_-]*$' } },
          disposition: { type: ['string', 'null'] },
          duration_seconds: { type: ['number', 'null'], minimum: 0 },
          created_at: time,
        },
      },
    },
  },
  // What each state implies (Dograh's campaign runner): a draft has not started or called anyone; every other state
  // has started; only a completed or failed campaign has ended.
  allOf: [
    {
      if: { properties: { state: { const: 'draft' } } },
      then: { properties: { started_at: forbidden, completed_at: forbidden, calls: forbidden } },
    },
    {
      if: { properties: { state: { enum: ['running', 'paused', 'completed', 'failed'] } } },
      then: { required: ['started_at'], properties: { started_at: time } },
    },
    {
      if: { properties: { state: { const: 'completed' } } },
      then: { required: ['completed_at'], properties: { completed_at: time } },
    },
    {
      if: { properties: { state: { enum: ['running', 'paused'] } } },
      then: { properties: { completed_at: forbidden } },
    },
  ],
};

/**
 * Asisso's fixture loader.
 *
 * - `workflows`: when listed, a campaign may only name one of them (others are a 404 on create).
 * - `sources`: uploaded contact CSVs, by `file_key` (`campaigns/{organization_id}/<uuid>_<name>.csv`,
 *   the organization being the sandbox); a draft campaign reads its source when started.
 * - `campaigns`: each with its own id; the ids after the highest stay free for new campaigns.
 *   A started campaign has queued its source's contacts; a campaign with `parent_campaign_id`
 *   is its parent's redial (every reason), holding the parent's contacts whose latest call
 *   ended in voicemail, no answer or busy. `calls` are the runs, by contact phone number.
 *   `{organization_id}` in a log entry becomes the organization's number too. Running and
 *   paused campaigns join the dialer simulation (paused ones dial once resumed), so none of
 *   their calls may be under way.
 *
 * @example
 * // fixtures/asisso/campaigns.yaml, loaded with POST /__admin/fixtures?key=KEY {"name": "asisso/campaigns"}
 */
export const asissoFixtures: FixtureLoader = {
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      description: { type: 'string' },
      workflows: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name'],
          additionalProperties: false,
          properties: { id: { type: 'integer', minimum: 1 }, name: { type: 'string', minLength: 1 } },
        },
      },
      sources: {
        type: 'array',
        items: {
          type: 'object',
          required: ['file_key', 'uploaded_at', 'contacts'],
          additionalProperties: false,
          properties: {
            file_key: fileKey,
            uploaded_at: time,
            contacts: {
              type: 'object',
              minProperties: 1,
              propertyNames: phone,
              additionalProperties: {
                type: 'object',
                propertyNames: { type: 'string', pattern: '^(?!phone_number$)[a-z][a-z0-9_]*$' },
                additionalProperties: { type: 'string' },
              },
            },
          },
        },
      },
      campaigns: { type: 'array', items: campaign },
    },
  },

  load: loadAsissoFixture,
};

/**
 * Loads an Asisso fixture's data into a sandbox, all of it or nothing: `asissoFixtures.load`.
 * Parts that do not fit together (a call to someone not among the contacts, a redial of a
 * campaign that is not completed) are refused with what to fix. Running and paused campaigns
 * join the dialer simulation with the contacts they have yet to call: first those due a retry,
 * then those never called, each in queue order (Dograh's campaign runner dials due retries first).
 */
export function loadAsissoFixture(db: Database, sandbox: Sandbox, data: unknown, time: (value: string) => string, { simulator }: Pick<VendorEnvironment, 'simulator'>): void {
  const store = new AsissoStore(db);
  const fixture = data as AsissoFixture;
  const organization = (text: string) => text.replaceAll(ORGANIZATION, String(sandbox.id));
  const refuse = (campaignId: number, why: string): never => {
    throw new Error(`campaign-mock: Asisso fixture campaign ${campaignId} ${why}`);
  };
  const campaigns = fixture.campaigns ?? [];
  const redialOf = new Map<number, number>();
  for (const child of campaigns) {
    if (child.parent_campaign_id === undefined) continue;
    if (redialOf.has(child.parent_campaign_id)) refuse(child.id, `redials campaign ${child.parent_campaign_id}, which campaign ${redialOf.get(child.parent_campaign_id)} redials already (Dograh's code: once only)`);
    redialOf.set(child.parent_campaign_id, child.id);
  }

  db.transaction(() => {
    for (const workflow of fixture.workflows ?? []) store.insertWorkflow(sandbox.id, workflow.id, workflow.name);
    for (const source of fixture.sources ?? []) {
      const key = organization(source.file_key);
      const content = Buffer.from(contactsCsv(source.contacts));
      store.insertUpload({ sandbox_id: sandbox.id, file_key: key, content_type: 'text/csv', max_size: content.length });
      store.storeUpload(sandbox.id, key, content, time(source.uploaded_at));
    }

    const loaded = new Map<number, CampaignFixture>();
    const dialing: Array<{ record: CampaignRecord; contacts: DialContact[] }> = [];
    for (const fx of campaigns) {
      const sourceId = organization(fx.source_id);
      const workflowName = store.workflowName(sandbox.id, fx.workflow_id) ?? refuse(fx.id, `names workflow ${fx.workflow_id}, which the fixture's workflows do not list`);
      const parent = fx.parent_campaign_id === undefined ? undefined : loaded.get(fx.parent_campaign_id);
      if (fx.parent_campaign_id !== undefined) {
        if (parent?.state !== 'completed') refuse(fx.id, `redials campaign ${fx.parent_campaign_id}, which must come before it in the fixture, completed (Dograh's code)`);
        if (fx.source_id !== parent?.source_id) refuse(fx.id, `redials campaign ${fx.parent_campaign_id}, so its source_id must be its parent's`);
      }
      const contacts = queuedContacts(store, sandbox.id, fx, sourceId) ?? refuse(fx.id, `has started, so its source ${fx.source_id} must be among the fixture's sources`);

      const byPhone = new Map(contacts.map((contact) => [contact.phone_number, contact]));
      const callsByPhone = new Map<string, CallFixture[]>();
      for (const call of fx.calls ?? []) {
        if (!byPhone.has(call.phone_number)) refuse(fx.id, `calls ${call.phone_number}, who is not among its contacts`);
        callsByPhone.set(call.phone_number, [...(callsByPhone.get(call.phone_number) ?? []), call]);
      }
      const retryConfig = fx.retry_config ? retryConfigFrom(fx.retry_config) : DEFAULT_RETRY_CONFIG;
      const chronological = (calls: CallFixture[]) => [...calls].sort((a, b) => time(a.created_at).localeCompare(time(b.created_at)));
      const joinsSimulation = fx.state === 'running' || fx.state === 'paused';
      const underWay = joinsSimulation ? (fx.calls ?? []).find((call) => CALL_IN_PROGRESS.includes(call.call_status)) : undefined;
      if (underWay) {
        refuse(
          fx.id,
          `has a call to ${underWay.phone_number} under way (${underWay.call_status}); a ${fx.state} campaign joins the dialer simulation when loaded, which cannot take over a call in progress: give the call how it ended (completed, busy, no-answer, failed, …) or leave it out`,
        );
      }
      const counters = campaignCounters([...callsByPhone.values()].map(chronological), retryConfig);
      const startedAt = fx.started_at === undefined ? null : time(fx.started_at);
      const completedAt = fx.completed_at === undefined ? null : time(fx.completed_at);
      const logs = (fx.logs ?? []).map(({ ts, details, ...entry }) => ({ ts: pythonIsoformat(time(ts)), ...entry, ...(details ? { details } : {}) }));
      const queued = fx.parent_campaign_id !== undefined || fx.state !== 'draft';

      const record: CampaignRecord = {
        sandbox_id: sandbox.id,
        id: fx.id,
        name: fx.name,
        workflow_id: fx.workflow_id,
        workflow_name: workflowName,
        state: fx.state,
        source_type: 'csv',
        source_id: sourceId,
        total_rows: queued ? contacts.length : null,
        ...counters,
        retry_config: JSON.stringify(retryConfig),
        max_concurrency: fx.max_concurrency ?? null,
        schedule_config: fx.schedule_config ? JSON.stringify(scheduleConfigFrom(fx.schedule_config)) : null,
        circuit_breaker: fx.circuit_breaker ? JSON.stringify(circuitBreakerFrom(fx.circuit_breaker)) : null,
        parent_campaign_id: fx.parent_campaign_id ?? null,
        redialed_campaign_id: redialOf.get(fx.id) ?? null,
        telephony_configuration_id: fx.telephony_configuration?.id ?? null,
        telephony_configuration_name: fx.telephony_configuration?.name ?? null,
        rate_limit_per_second: fx.rate_limit_per_second ?? 1,
        source_sync_status: queued ? 'completed' : 'pending',
        source_last_synced_at: startedAt,
        source_sync_error: null,
        logs: organization(JSON.stringify(logs)),
        created_at: time(fx.created_at),
        started_at: startedAt,
        completed_at: completedAt,
        updated_at: [time(fx.created_at), startedAt, completedAt, ...(fx.logs ?? []).map((log) => time(log.ts))].filter((t) => t !== null).sort().at(-1) as string,
      };
      store.insertCampaignWithId(record);
      store.queueContacts(sandbox.id, fx.id, contacts.map((contact) => ({ ...contact, state: callsByPhone.has(contact.phone_number) ? 'processed' : 'queued' })));
      for (const call of chronological(fx.calls ?? [])) {
        const contact = byPhone.get(call.phone_number) as QueuedRun;
        store.insertRun({
          sandbox_id: sandbox.id,
          campaign_id: fx.id,
          source_uuid: contact.source_uuid,
          initial_context: contact.context_variables,
          call_status: call.call_status,
          call_tags: JSON.stringify(call.call_tags ?? []),
          disposition: call.disposition ?? null,
          duration_seconds: call.duration_seconds ?? null,
          is_completed: CALL_IN_PROGRESS.includes(call.call_status) ? 0 : 1,
          created_at: time(call.created_at),
        });
      }
      loaded.set(fx.id, fx);
      if (joinsSimulation) {
        const retries = contacts.filter((contact) => isRetryDue(chronological(callsByPhone.get(contact.phone_number) ?? []), retryConfig));
        const uncalled = contacts.filter((contact) => !callsByPhone.has(contact.phone_number));
        dialing.push({ record, contacts: [...retries, ...uncalled] });
      }
    }
    // Last, once nothing more can fail: the simulation keeps what it is handed in memory too.
    const at = Date.parse(time('now'));
    for (const { record, contacts } of dialing) {
      syncCampaign(simulator, record, organizationConcurrencyLimit(sandbox), at);
      queueContacts(simulator, record, contacts, at);
    }
  })();
}

/**
 * The contacts a campaign has queued: a redial's are its parent's redial candidates (Dograh's code, every
 * reason), a started campaign's are its source's rows (Dograh's campaign runner), a draft's none yet. `undefined` when
 * a started campaign's source is not there to read.
 */
function queuedContacts(store: AsissoStore, sandboxId: number, fx: CampaignFixture, sourceId: string): QueuedRun[] | undefined {
  if (fx.parent_campaign_id !== undefined) return store.redialCandidates(sandboxId, fx.parent_campaign_id, Object.values(REDIAL_TAGS));
  if (fx.state === 'draft') return [];
  const content = store.getUpload(sandboxId, sourceId)?.content;
  return content ? readContacts(sourceId, content) : undefined;
}

/** The CSV a source's contacts were uploaded as: `phone_number`, then every other column in order of appearance. */
function contactsCsv(contacts: SourceFixture['contacts']): string {
  const columns = [...new Set(Object.values(contacts).flatMap((row) => Object.keys(row)))];
  const line = (fields: string[]) => fields.map((field) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)).join(',');
  return [line(['phone_number', ...columns]), ...Object.entries(contacts).map(([number, row]) => line([number, ...columns.map((column) => row[column] ?? '')]))].join('\n') + '\n';
}
