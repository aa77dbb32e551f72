/**
 * The shape of a contract plan: the requests the contract suite sends to one vendor, in order,
 * each naming the spec operation it exercises. Values found on the way (a campaign id from a
 * create or a list) are kept by name for later steps; a user can give them too (`--campaign-id`,
 * `--set lead=…`), which is how a read-only run against a live account reaches its records.
 */

/** Values kept between steps, by name (`campaign`, `lead`, `org`, …). */
export type Values = Record<string, string>;

/** One request, described in the spec's terms; the runner adds the base URL and the credential. */
export interface StepRequest {
  /** Path parameters by the spec's names. */
  params?: Record<string, string | number>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A JSON body. */
  json?: unknown;
  /** A multipart body. */
  form?: () => FormData;
  /** Any other body, sent with its Content-Type. */
  text?: { body: string; contentType: string };
  /** Send no credential at all. */
  anonymous?: boolean;
  /**
   * Send to this absolute URL instead of base URL + path, and check only for a 2xx: a URL that
   * the API handed out pointing elsewhere (a presigned upload URL on S3) is outside its spec.
   */
  outsideUrl?: string;
}

/** What came back, as a step's checks read it. */
export interface StepAnswer {
  status: number;
  headers: Headers;
  /** The body parsed as JSON, or its text when it is not JSON. */
  body: unknown;
  text: string;
}

export interface ContractStep {
  operationId: string;
  /** What the step shows, in a few words: `pauses a running campaign`. */
  does: string;
  /** Creates or changes data on the target: runs only with `--write`. */
  writes: boolean;
  /** The status (or statuses) the step expects. */
  expect: number | readonly number[];
  /** The request breaks the spec on purpose (no credential, a bad field). */
  breaksSpec?: boolean;
  /** Values the request needs; without them the step is skipped, saying which flag gives them. */
  needs?: readonly string[];
  request(values: Values): StepRequest;
  /** Behaviour beyond the contract (the status a campaign moved to): what is wrong, if anything. */
  check?(answer: StepAnswer, values: Values): string[];
  /** Keeps values from the answer for later steps. */
  keep?(answer: StepAnswer, values: Values): void;
}

/** How a value a step needs can be given on the command line. */
export interface ValueSource {
  /** `--campaign-id <id>` or `--set lead=<id>`. */
  flag: string;
  /** What it is: `a campaign id to read`. */
  what: string;
}

export interface ContractPlan {
  /** The values steps may need, and how a user gives each. */
  values: Record<string, ValueSource>;
  /** Values every run starts with unless given (Sarvam's org and workspace on the mock). */
  defaults?: Values;
  steps: ContractStep[];
}

/** A body field as an object, or nothing when the answer is not an object. */
export function field(answer: StepAnswer, name: string): unknown {
  const body = answer.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[name] : undefined;
}

/** A check that a body field has a value: `expectField('status', 'paused')`. */
export function expectField(name: string, wanted: unknown): (answer: StepAnswer) => string[] {
  return (answer) => {
    const got = field(answer, name);
    return got === wanted ? [] : [`${name} should be ${JSON.stringify(wanted)} after this step, but is ${JSON.stringify(got)}`];
  };
}

/** Keeps a body field as a named value: `keepField('id', 'campaign')`. */
export function keepField(name: string, as: string, { ifUnset = false } = {}): (answer: StepAnswer, values: Values) => void {
  return (answer, values) => {
    const value = field(answer, name);
    if ((typeof value === 'string' || typeof value === 'number') && !(ifUnset && values[as] !== undefined)) values[as] = String(value);
  };
}
