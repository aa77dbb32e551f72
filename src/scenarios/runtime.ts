import type { InterceptedRequest, Interception } from '../engine/hooks.js';
import { forcedReply, rateLimitedReply } from './forced-reply.js';
import { parsePrefer } from './prefer.js';
import type { Scenario, ScenarioRule } from './scenario.js';

/** The header that picks a scenario for one request. */
export const SCENARIO_HEADER = 'x-mock-scenario';

/**
 * Applies scenarios to requests. A request's scenario is, first, Prism's `Prefer: code=…,
 * example=…`; then its `X-Mock-Scenario` header; then the scenario made sticky for its sandbox.
 * Rule counters (`times`, `call`) and the seeded random generators are kept per sandbox, so
 * parallel tests on different keys never disturb each other.
 */
export class ScenarioRuntime {
  readonly #counters = new Map<string, { matched: number; fired: number }>();
  readonly #random = new Map<string, () => number>();

  constructor(
    readonly scenarios: ReadonlyMap<string, Scenario>,
    private readonly now: (request: InterceptedRequest) => Date,
  ) {}

  intercept(request: InterceptedRequest): Interception | undefined {
    const prefer = request.header('prefer');
    if (prefer) {
      const wanted = parsePrefer(prefer);
      if (typeof wanted === 'string') return { source: `Prefer: ${prefer}`, refusal: wanted };
      if (wanted) return this.#answer(`Prefer: ${prefer}`, forcedReply(request.vendor, request.operation, wanted));
    }
    const name = request.header(SCENARIO_HEADER) ?? request.sandbox.scenario;
    if (!name) return undefined;
    const scenario = this.scenarios.get(name);
    if (!scenario) return { source: name, refusal: unknownScenario(name, this.scenarios) };
    return this.#applyRules(scenario, request);
  }

  /** Starts a sandbox's rule counters and random draws afresh (or every sandbox's). */
  forget(sandboxId?: number): void {
    for (const map of [this.#counters, this.#random]) {
      for (const key of map.keys()) if (sandboxId === undefined || key.startsWith(`${sandboxId}|`)) map.delete(key);
    }
  }

  #applyRules(scenario: Scenario, request: InterceptedRequest): Interception | undefined {
    const random = this.#generator(scenario, request.sandbox.id);
    for (const [index, rule] of scenario.rules.entries()) {
      if (!matches(rule, request)) continue;
      const counter = this.#counter(`${request.sandbox.id}|${scenario.name}|${index}`);
      counter.matched++;
      if (rule.match.call !== undefined && counter.matched !== rule.match.call) continue;
      if (rule.times !== undefined && counter.fired >= rule.times) continue;
      if (rule.match.probability !== undefined && random() >= rule.match.probability) continue;
      counter.fired++;
      return this.#fire(scenario.name, rule, request, random);
    }
    return undefined;
  }

  #fire(source: string, rule: ScenarioRule, request: InterceptedRequest, random: () => number): Interception {
    const latencyMs = rule.latency === undefined ? 0 : typeof rule.latency === 'number' ? rule.latency : Math.round(rule.latency.min + random() * (rule.latency.max - rule.latency.min));
    const base: Interception = { source, ...(latencyMs > 0 ? { latencyMs } : {}) };
    if (rule.drop) return { ...base, drop: true };
    if (rule.rateLimit) {
      const reply = rateLimitedReply(request.vendor, request.operation, rule.rateLimit.retryAfter, rule.rateLimit.limit ?? 100, this.now(request));
      return { ...base, ...(typeof reply === 'string' ? { refusal: reply } : { reply }) };
    }
    if (rule.respond?.status !== undefined || rule.respond?.example !== undefined) {
      const reply = forcedReply(request.vendor, request.operation, rule.respond);
      return { ...base, ...(typeof reply === 'string' ? { refusal: reply } : { reply }) };
    }
    if (rule.respond) {
      return { ...base, override: { ...(rule.respond.headers ? { headers: rule.respond.headers } : {}), ...(rule.respond.body === undefined ? {} : { body: rule.respond.body }) } };
    }
    return base;
  }

  #answer(source: string, reply: ReturnType<typeof forcedReply>): Interception {
    return typeof reply === 'string' ? { source, refusal: reply } : { source, reply };
  }

  #counter(key: string): { matched: number; fired: number } {
    let counter = this.#counters.get(key);
    if (!counter) {
      counter = { matched: 0, fired: 0 };
      this.#counters.set(key, counter);
    }
    return counter;
  }

  #generator(scenario: Scenario, sandboxId: number): () => number {
    const key = `${sandboxId}|${scenario.name}`;
    let generator = this.#random.get(key);
    if (!generator) {
      generator = mulberry32(scenario.seed ?? 1);
      this.#random.set(key, generator);
    }
    return generator;
  }
}

function matches(rule: ScenarioRule, request: InterceptedRequest): boolean {
  const { match } = rule;
  if (match.vendor !== undefined && match.vendor !== request.vendor.name) return false;
  if (match.operationId !== undefined && match.operationId !== request.operation.operationId) return false;
  for (const [name, value] of Object.entries(match.params ?? {})) if (String(request.params[name]) !== String(value)) return false;
  for (const [name, value] of Object.entries(match.query ?? {})) if (String(request.query[name]) !== String(value)) return false;
  for (const [path, value] of Object.entries(match.body ?? {})) {
    if (JSON.stringify(valueAt(request.body, path)) !== JSON.stringify(value)) return false;
  }
  return true;
}

function valueAt(body: unknown, dottedPath: string): unknown {
  let value = body;
  for (const segment of dottedPath.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** Names the scenarios closest to a mistyped one: a few edits away, else those of the same vendor. */
export function unknownScenario(name: string, scenarios: ReadonlyMap<string, Scenario>): string {
  const known = [...scenarios.keys()];
  const near = known
    .map((candidate) => ({ candidate, distance: editDistance(name, candidate) }))
    .filter(({ distance }) => distance <= 3)
    .sort((a, b) => a.distance - b.distance)
    .map(({ candidate }) => candidate);
  const prefix = name.split(/[.-]/)[0] ?? name;
  const close = (near.length > 0 ? near : known.filter((candidate) => candidate.startsWith(`${prefix}.`) || candidate.startsWith(`${prefix}-`))).slice(0, 5);
  return `campaign-mock: unknown scenario "${name}". ${close.length > 0 ? `Did you mean ${close.join(', ')}? ` : ''}GET /__admin/scenarios lists them all.`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** A small seeded generator (mulberry32): the same seed gives the same sequence. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
