import type { SecuritySchemeObject } from '../engine/spec/openapi.js';
import type { OperationSpec, Spec } from '../engine/spec/load.js';
import { compileSpecs, isJsonMediaType, type CompiledOperation } from '../engine/spec/compile.js';
import { checkAnswer, excerpt, type Mismatch } from './answer-check.js';
import { exampleStep } from './example-step.js';
import type { ContractPlan, ContractStep, StepAnswer, StepRequest, Values } from './plan.js';

/** Sends one request; the default is `fetch`. Tests route requests through a proxy or `app.request()`. */
export type ContractFetch = (url: string, init: RequestInit, step: ContractStep) => Promise<Response>;

export interface ContractOptions {
  /** The vendor, as far as the suite needs it. */
  vendor: { name: string; title: string; basePath: string };
  spec: Spec;
  plan: ContractPlan;
  /** The server's root or the vendor's base URL (`http://127.0.0.1:4010` or `…/v1`). */
  baseUrl: string;
  key: string;
  /** Run the steps that create or change data. */
  write: boolean;
  /** Values given by the user (`--campaign-id`, `--set lead=…`). */
  values?: Values;
  fetch?: ContractFetch;
  /** How long one request may take before it fails as unanswered. Default 30 s. */
  timeoutMs?: number;
}

export type Outcome = 'passed' | 'failed' | 'skipped';

export interface StepResult {
  operationId: string;
  does: string;
  outcome: Outcome;
  /** Why a step was skipped. */
  reason?: string;
  /** `PATCH /v1/campaigns/cmp_… → 200`. */
  request?: string;
  status?: number;
  mismatches: Mismatch[];
  /** The start of the body that came back, for a failed step. */
  body?: string;
}

export interface OperationResult {
  operationId: string;
  method: string;
  path: string;
  outcome: Outcome;
  steps: StepResult[];
}

export interface ContractReport {
  vendor: string;
  title: string;
  specFile: string;
  baseUrl: string;
  write: boolean;
  operations: OperationResult[];
  requests: number;
  counts: Record<Outcome, number>;
  /** The values given and found on the way (ids of what the run read or made). */
  values: Values;
}

/**
 * Runs a vendor's contract plan against a base URL and reports, per operation of the spec,
 * whether every answer kept to the spec (and to what the step expected), which steps failed
 * with what difference, and which were skipped and why. Operations the plan has no step for get
 * one built from the spec's examples.
 *
 * @example
 * const report = await runContract({ vendor: sarvam, spec, plan: sarvam.contractPlan, baseUrl: 'http://127.0.0.1:4010', key: 'sk_test', write: true });
 * report.counts; // { passed: 12, failed: 0, skipped: 0 }
 */
export async function runContract(options: ContractOptions): Promise<ContractReport> {
  const { spec, plan, write } = options;
  const compiled = new Map((compileSpecs([spec]).get(spec) ?? []).map((op) => [op.spec.operationId, op]));
  const root = serverRoot(options.baseUrl, options.vendor.basePath);
  const send: ContractFetch = options.fetch ?? ((url, init) => fetch(url, init));
  const values: Values = { ...plan.defaults, ...options.values };
  let requests = 0;

  const planned = new Set(plan.steps.map((step) => step.operationId));
  const steps: Array<ContractStep | { operationId: string; skip: string }> = [...plan.steps];
  for (const operation of spec.operations) {
    if (planned.has(operation.operationId)) continue;
    const step = exampleStep(spec, operation);
    steps.push(typeof step === 'string' ? { operationId: operation.operationId, skip: `no step covers it and ${step}` } : step);
  }

  const results: StepResult[] = [];
  for (const step of steps) {
    const operation = compiled.get(step.operationId);
    if (!operation) throw new Error(`campaign-mock: the ${options.vendor.name} contract plan names operation "${step.operationId}", which specs/${specName(spec)} does not have`);
    if ('skip' in step) {
      results.push({ operationId: step.operationId, does: 'any request', outcome: 'skipped', reason: step.skip, mismatches: [] });
      continue;
    }
    const missing = (step.needs ?? []).filter((name) => values[name] === undefined);
    if (step.writes && !write) {
      results.push(skipped(step, 'needs --write (it creates or changes data on the target)'));
    } else if (missing.length > 0) {
      results.push(skipped(step, missing.map((name) => whyMissing(name, plan, write)).join('; ')));
    } else {
      requests++;
      const result = await runStep(step, operation.spec, operation, { root, send, values, options });
      results.push(result);
    }
  }

  const operations: OperationResult[] = spec.operations.map((op) => {
    const own = results.filter((r) => r.operationId === op.operationId);
    const outcome: Outcome = own.some((r) => r.outcome === 'failed') ? 'failed' : own.some((r) => r.outcome === 'passed') ? 'passed' : 'skipped';
    return { operationId: op.operationId, method: op.method.toUpperCase(), path: op.path, outcome, steps: own };
  });
  const counts: Record<Outcome, number> = { passed: 0, failed: 0, skipped: 0 };
  for (const op of operations) counts[op.outcome]++;
  return {
    vendor: options.vendor.name,
    title: options.vendor.title,
    specFile: specName(spec),
    baseUrl: options.baseUrl,
    write,
    operations,
    requests,
    counts,
    values,
  };
}

interface StepEnvironment {
  root: string;
  send: ContractFetch;
  values: Values;
  options: ContractOptions;
}

async function runStep(step: ContractStep, op: OperationSpec, compiled: CompiledOperation, { root, send, values, options }: StepEnvironment): Promise<StepResult> {
  const request = step.request(values);
  const { url, init } = buildRequest(op, request, root, options);
  const shown = `${init.method} ${url.startsWith(root) ? url.slice(root.length) : url}`;
  const base = { operationId: step.operationId, does: step.does };
  let response: Response;
  let text: string;
  try {
    response = await send(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) }, step);
    text = await response.text();
  } catch (error) {
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${(options.timeoutMs ?? 30_000) / 1000} s` : `the request failed: ${(error as Error).message}`;
    return { ...base, outcome: 'failed', request: shown, mismatches: [{ where: 'answer', message: why }] };
  }
  const contentType = response.headers.get('content-type');
  const answer: StepAnswer = { status: response.status, headers: response.headers, body: parseBody(text, contentType), text };
  const mismatches: Mismatch[] = [];
  const expected = typeof step.expect === 'number' ? [step.expect] : step.expect;
  if (!expected.includes(response.status)) {
    mismatches.push({ where: 'status', message: `is not what the step expects (${step.does})`, spec: expected.join(' | '), got: String(response.status) });
  }
  if (request.outsideUrl === undefined) mismatches.push(...checkAnswer(compiled, response.status, contentType, text));
  if (mismatches.length === 0 && step.check) mismatches.push(...step.check(answer, values).map((message) => ({ where: 'behaviour', message })));
  if (mismatches.length === 0) {
    step.keep?.(answer, values);
    return { ...base, outcome: 'passed', request: `${shown} → ${response.status}`, status: response.status, mismatches };
  }
  return { ...base, outcome: 'failed', request: `${shown} → ${response.status}`, status: response.status, mismatches, body: excerpt(text, 400) };
}

function buildRequest(op: OperationSpec, request: StepRequest, root: string, options: ContractOptions): { url: string; init: RequestInit & { method: string } } {
  const headers: Record<string, string> = {};
  const query = new URLSearchParams(request.query);
  let url: string;
  if (request.outsideUrl !== undefined) {
    url = request.outsideUrl;
  } else {
    let path = op.path;
    for (const [name, value] of Object.entries(request.params ?? {})) path = path.replace(`{${name}}`, encodeURIComponent(String(value)));
    if (!request.anonymous) addCredential(op, options.spec, options.key, headers, query);
    const search = query.toString();
    url = `${root}${path}${search ? `?${search}` : ''}`;
  }
  let body: RequestInit['body'];
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form) {
    body = request.form();
  } else if (request.text) {
    headers['content-type'] = request.text.contentType;
    body = request.text.body;
  }
  Object.assign(headers, request.headers);
  return { url, init: { method: op.method.toUpperCase(), headers, ...(body === undefined ? {} : { body }) } };
}

/** Sends the key as the operation's first security requirement asks (OpenAPI 3.1 §4.8.30). */
function addCredential(op: OperationSpec, spec: Spec, key: string, headers: Record<string, string>, query: URLSearchParams): void {
  for (const name of Object.keys(op.security[0] ?? {})) {
    const scheme = spec.securitySchemes[name] as SecuritySchemeObject;
    if (scheme.type === 'http') headers.authorization = `Bearer ${key}`;
    else if (scheme.in === 'header') headers[scheme.name.toLowerCase()] = key;
    else if (scheme.in === 'query' && !query.has(scheme.name)) query.set(scheme.name, key);
  }
}

/** `http://host:4010/v1` for DialNexa is the same server as `http://host:4010`: the spec's paths carry `/v1`. */
function serverRoot(baseUrl: string, basePath: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return trimmed.endsWith(basePath) ? trimmed.slice(0, -basePath.length) : trimmed;
}

function parseBody(text: string, contentType: string | null): unknown {
  if (!contentType || !isJsonMediaType(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function skipped(step: ContractStep, reason: string): StepResult {
  return { operationId: step.operationId, does: step.does, outcome: 'skipped', reason, mismatches: [] };
}

function whyMissing(name: string, plan: ContractPlan, write: boolean): string {
  const source = plan.values[name];
  const what = source?.what ?? name;
  const flag = source?.flag ?? `--set ${name}=<value>`;
  const given = flag === '--write' ? '' : ` (or pass ${flag})`;
  if (write) return `no ${what}: the earlier step that makes one did not pass${given}`;
  return flag === '--write' ? `no ${what}: needs --write` : `no ${what}: pass ${flag}, or --write to create one`;
}

function specName(spec: Spec): string {
  return spec.file.split(/[\\/]/).pop() ?? spec.file;
}
