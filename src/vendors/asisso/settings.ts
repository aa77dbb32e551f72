/**
 * A campaign's retry, schedule and circuit-breaker settings. Dograh stores each request model
 * dumped with its defaults (Dograh's code `model_dump()`), so a setting sent replaces the stored one whole,
 * and the keys left out take the model's defaults, not the previous values.
 */

export interface RetryConfig {
  enabled: boolean;
  max_retries: number;
  retry_delay_seconds: number;
  retry_on_busy: boolean;
  retry_on_no_answer: boolean;
  retry_on_voicemail: boolean;
}

export interface TimeSlot {
  day_of_week: number;
  start_time: string;
  end_time: string;
}

export interface ScheduleConfig {
  enabled: boolean;
  timezone: string;
  slots: TimeSlot[];
}

export interface CircuitBreakerConfig {
  enabled: boolean;
  failure_threshold: number;
  window_seconds: number;
  min_calls_in_window: number;
}

/** Defaults of `RetryConfigRequest` (Dograh's code; Asisso's "Update Campaign" page's example values). */
const RETRY_REQUEST_DEFAULTS: RetryConfig = {
  enabled: true,
  max_retries: 2,
  retry_delay_seconds: 120,
  retry_on_busy: true,
  retry_on_no_answer: true,
  retry_on_voicemail: true,
};

/** A campaign created without `retry_config` gets Dograh's `DEFAULT_CAMPAIGN_RETRY_CONFIG` (Dograh's code `api/constants.py`). */
export const DEFAULT_RETRY_CONFIG: RetryConfig = { ...RETRY_REQUEST_DEFAULTS, max_retries: 1, retry_on_voicemail: false };

/** Defaults of `CircuitBreakerConfigRequest` (Dograh's code). */
const CIRCUIT_BREAKER_REQUEST_DEFAULTS: CircuitBreakerConfig = { enabled: true, failure_threshold: 0.5, window_seconds: 120, min_calls_in_window: 5 };

/** What a campaign without a circuit breaker reports: `CircuitBreakerConfigResponse()` (Dograh's code; Asisso's "Update Campaign" page's example). */
export const NO_CIRCUIT_BREAKER: CircuitBreakerConfig = { ...CIRCUIT_BREAKER_REQUEST_DEFAULTS, enabled: false };

export function retryConfigFrom(input: Partial<RetryConfig>): RetryConfig {
  return { ...RETRY_REQUEST_DEFAULTS, ...pick(input, RETRY_REQUEST_DEFAULTS) };
}

export function scheduleConfigFrom(input: { enabled?: boolean; timezone?: string; slots: TimeSlot[] }): ScheduleConfig {
  return {
    enabled: input.enabled ?? true,
    timezone: input.timezone ?? 'UTC',
    slots: input.slots.map(({ day_of_week, start_time, end_time }) => ({ day_of_week, start_time, end_time })),
  };
}

export function circuitBreakerFrom(input: Partial<CircuitBreakerConfig>): CircuitBreakerConfig {
  return { ...CIRCUIT_BREAKER_REQUEST_DEFAULTS, ...pick(input, CIRCUIT_BREAKER_REQUEST_DEFAULTS) };
}

/** The model's own fields of an input, in the model's order; pydantic ignores any other key. */
function pick<T extends object>(input: Partial<T>, model: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(model) as Array<keyof T>) {
    if (input[key] !== undefined) out[key] = input[key];
  }
  return out;
}
