/**
 * A campaign's settings as stored and answered: what pydantic would keep of the request. Fields
 * the models do not declare are dropped (pydantic ignores them), fields not sent come back null
 * (FastAPI serialises every field), and attempts_per_second defaults to 2 (Sarvam's "Dialing rate" page).
 */

/** `keep` copies a value; an object maps each declared field; `[shape]` is a list of it. */
type Shape = 'keep' | { readonly [field: string]: Shape } | readonly [Shape];

const RETRY_TOGGLE = { enabled: 'keep' } as const;
const ERROR_RETRY = { enabled: 'keep', max_retries: 'keep', retry_interval_minutes: 'keep' } as const;

/** Sarvam's "Create Campaign" page's app_config, field by field. */
const APP_CONFIG: Shape = {
  app_id: 'keep',
  app_type: 'keep',
  app_version: 'keep',
  attempts_per_second: 'keep',
  connection_configs: [{ connection_id: 'keep', phone_numbers: 'keep', weight: 'keep' }],
  retry_config: {
    max_retries: 'keep',
    retry_interval_minutes: 'keep',
    retry_on: {
      busy: RETRY_TOGGLE,
      failed: RETRY_TOGGLE,
      no_answer: RETRY_TOGGLE,
      short_duration: { enabled: 'keep', threshold_seconds: 'keep' },
      provider_error: ERROR_RETRY,
      internal_error: ERROR_RETRY,
    },
  },
  webhook_config: { url: 'keep', metadata: 'keep' },
};

const WEBHOOK_CONFIG: Shape = { url: 'keep', metadata: 'keep' };

const ALLOWED_SCHEDULE: Shape = { allowed_start_time: 'keep', allowed_end_time: 'keep', allowed_days: 'keep', timezone: 'keep' };

/** Sarvam's "Dialing rate" page: "defaults to 2". */
const DEFAULT_ATTEMPTS_PER_SECOND = 2;

function project(value: unknown, shape: Shape): unknown {
  if (value === undefined || value === null) return null;
  if (shape === 'keep') return value;
  if (Array.isArray(shape)) return (value as unknown[]).map((item) => project(item, shape[0] as Shape));
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [field, fieldShape] of Object.entries(shape as Record<string, Shape>)) out[field] = project(source[field], fieldShape);
  return out;
}

export interface StoredAppConfig {
  app_id: string;
  app_type: 'agent' | 'workflow';
  app_version: number | null;
  attempts_per_second: number;
  [field: string]: unknown;
}

/** The app_config to store, as JSON, from a request that passed the spec's AppConfigInput schema. */
export function storedAppConfig(input: unknown): string {
  const config = project(input, APP_CONFIG) as StoredAppConfig;
  // The update page's defaults: app_type `agent`, attempts_per_second 2 (the dialing-rate page).
  return JSON.stringify({ ...config, app_type: config.app_type ?? 'agent', attempts_per_second: config.attempts_per_second ?? DEFAULT_ATTEMPTS_PER_SECOND });
}

/** The top-level webhook_config to store (Sarvam's "Create Campaign" page, voice-agents variant), as JSON, or null. */
export function storedWebhookConfig(input: unknown): string | null {
  const config = project(input, WEBHOOK_CONFIG);
  return config === null ? null : JSON.stringify(config);
}

/** The allowed_schedule to store (Sarvam's "Create Campaign" page), as JSON. */
export function storedSchedule(input: unknown): string {
  return JSON.stringify(project(input, ALLOWED_SCHEDULE));
}
