/** A scenario as its YAML file writes it (see scenarios/README and scenarios/*.yaml). */
export interface Scenario {
  name: string;
  description: string;
  /** Seeds the random choices (latency ranges, probabilities), so a run can be repeated. */
  seed?: number;
  /** Fixtures loaded into a sandbox when the scenario is made sticky for it. */
  fixtures: string[];
  rules: ScenarioRule[];
  /** Where it came from: a file path, or `built-in`. */
  source: string;
}

/** One rule: which requests it matches, and what it does to them. The first rule that fires wins. */
export interface ScenarioRule {
  match: {
    vendor?: string;
    operationId?: string;
    /** Path parameters, compared as text. */
    params?: Record<string, string | number>;
    /** Query parameters, compared as text. */
    query?: Record<string, string | number>;
    /** Body fields by dotted path (`retry_config.max_retries`), compared as JSON values. */
    body?: Record<string, unknown>;
    /** Fire only on the n-th request that matches the rest (1 = the first). */
    call?: number;
    /** Fire with this probability (0–1), drawn from the scenario's seeded generator. */
    probability?: number;
  };
  /** Fire at most this many times per sandbox ("fail twice, then succeed"). */
  times?: number;
  /** Wait before answering: milliseconds, or a range drawn from the seeded generator. */
  latency?: number | { min: number; max: number };
  /** Answer with a documented status (body from the spec's example unless given), or, without a status, amend the real answer. */
  respond?: { status?: number; example?: string; body?: unknown; headers?: Record<string, string> };
  /** Answer 429 with Retry-After and the vendor's documented rate-limit headers. */
  rateLimit?: { retryAfter: number; limit?: number };
  /** Close the connection without answering. */
  drop?: boolean;
}

/** JSON Schema of a scenario file. */
export const SCENARIO_FILE_SCHEMA = {
  type: 'object',
  required: ['name', 'description', 'rules'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' },
    description: { type: 'string', minLength: 1 },
    seed: { type: 'integer' },
    fixtures: { type: 'array', items: { type: 'string' } },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['match'],
        additionalProperties: false,
        properties: {
          match: {
            type: 'object',
            additionalProperties: false,
            properties: {
              vendor: { type: 'string' },
              operationId: { type: 'string' },
              params: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
              query: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
              body: { type: 'object' },
              call: { type: 'integer', minimum: 1 },
              probability: { type: 'number', minimum: 0, maximum: 1 },
            },
          },
          times: { type: 'integer', minimum: 1 },
          latency: {
            oneOf: [
              { type: 'integer', minimum: 0, maximum: 120000 },
              {
                type: 'object',
                required: ['min', 'max'],
                additionalProperties: false,
                properties: { min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0, maximum: 120000 } },
              },
            ],
          },
          respond: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              status: { type: 'integer', minimum: 100, maximum: 599 },
              example: { type: 'string' },
              body: {},
              headers: { type: 'object', additionalProperties: { type: 'string' } },
            },
          },
          rateLimit: {
            type: 'object',
            required: ['retryAfter'],
            additionalProperties: false,
            properties: { retryAfter: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1 } },
          },
          drop: { const: true },
        },
      },
    },
  },
} as const;
