import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, describeSchemaErrors, parseYamlFile, readConfigText, type YamlFile } from '../config/yaml-file.js';
import type { OperationSpec, Spec } from '../engine/spec/load.js';
import type { VendorModule } from '../engine/vendor.js';
import { documentedStatuses, namedExamples } from './forced-reply.js';
import { SCENARIO_FILE_SCHEMA, type Scenario } from './scenario.js';

export interface ScenarioSources {
  /** Folders of `*.yaml` scenario files, read in order; a later file may not reuse a name. */
  dirs: string[];
  vendors: ReadonlyMap<VendorModule, Spec>;
  /** Names of the fixtures that exist, so a scenario cannot name a missing one. */
  fixtures: ReadonlySet<string>;
  /**
   * Scenario files already parsed and found valid, by their text (the build writes the bundled
   * ones, see scenarioCacheEntry): a file found here is neither parsed nor checked against the
   * file schema again.
   */
  cache?: ReadonlyMap<string, unknown>;
}

/** The scenario-file validator, compiled the first time a file is not in the cache. */
let fileValidator: ValidateFunction | undefined;

/** A scenario file's text parsed and checked against the file schema. */
function parseScenarioFile(path: string, text: string): YamlFile {
  const file = parseYamlFile(path, text);
  fileValidator ??= new Ajv2020({ allErrors: true, strict: true, validateSchema: false, allowUnionTypes: true }).compile(SCENARIO_FILE_SCHEMA);
  if (!fileValidator(file.value)) {
    throw new ConfigError(`campaign-mock: invalid scenario file:\n  ${describeSchemaErrors(file, fileValidator.errors).join('\n  ')}`);
  }
  return file;
}

/**
 * A cache entry for a scenario file: its text and its parsed value, or undefined when the file is
 * not valid (so that reading it at startup reports what is wrong).
 */
export function scenarioCacheEntry(path: string): [string, unknown] | undefined {
  try {
    const text = readConfigText(path);
    return [text, parseScenarioFile(path, text).value];
  } catch {
    return undefined;
  }
}

/**
 * Every scenario: one built in for each documented error status of each operation
 * (`dialnexa.getCampaign.404`), then those of the scenario files. A file with a mistake stops
 * startup with its file, line and what is wrong.
 */
export function loadScenarios(sources: ScenarioSources): ReadonlyMap<string, Scenario> {
  const builtIn = new BuiltInScenarios(sources.vendors);
  const scenarios = new Map<string, Scenario>();
  for (const dir of sources.dirs) {
    if (!existsSync(dir)) throw new ConfigError(`campaign-mock: the scenarios folder ${dir} does not exist`);
    for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const path = join(dir, name);
      const text = readConfigText(path);
      const cached = sources.cache?.get(text);
      // A cached file is parsed again only to say on which line a problem is.
      const file: YamlFile = cached === undefined ? parseScenarioFile(path, text) : { path, value: cached, locate: (at) => parseYamlFile(path, text).locate(at) };
      const raw = file.value as Omit<Scenario, 'source' | 'fixtures'> & { fixtures?: string[] };
      const scenario: Scenario = { ...raw, fixtures: raw.fixtures ?? [], source: file.path };
      const previous = builtIn.get(scenario.name) ?? scenarios.get(scenario.name);
      if (previous) throw new ConfigError(`campaign-mock: ${file.locate(['name'])}: scenario "${scenario.name}" is already defined by ${previous.source}`);
      checkAgainstSpecs(scenario, file, sources);
      scenarios.set(scenario.name, scenario);
    }
  }
  return new ScenarioCatalog(builtIn, scenarios);
}

/**
 * The built-in scenarios, made when first asked for: by name, or all of them for a listing. There
 * are hundreds, and making them all took some 2 ms of every start that most runs never use.
 */
class BuiltInScenarios {
  readonly #made = new Map<string, Scenario>();

  constructor(private readonly vendors: ReadonlyMap<VendorModule, Spec>) {}

  /** `<vendor>.<operationId>.<status>`, for a documented error status of that operation. */
  get(name: string): Scenario | undefined {
    const made = this.#made.get(name);
    if (made) return made;
    // The status is what follows the last dot; a vendor's name or an operationId may hold dots.
    const lastDot = name.lastIndexOf('.');
    const status = Number(name.slice(lastDot + 1));
    if (lastDot === -1 || String(status) !== name.slice(lastDot + 1) || status < 400) return undefined;
    for (const [vendor, spec] of this.vendors) {
      if (!name.startsWith(`${vendor.name}.`)) continue;
      const operationId = name.slice(vendor.name.length + 1, lastDot);
      const op = spec.operations.find((candidate) => candidate.operationId === operationId);
      if (op && documentedStatuses(op).includes(status)) return this.#make(vendor, op, status);
    }
    return undefined;
  }

  /** Every one, vendor by vendor, operation by operation, in the specs' order (the catalog keeps the map). */
  all(): Map<string, Scenario> {
    const all = new Map<string, Scenario>();
    for (const [vendor, spec] of this.vendors) {
      for (const op of spec.operations) {
        for (const status of documentedStatuses(op).filter((s) => s >= 400)) {
          const scenario = this.#make(vendor, op, status);
          all.set(scenario.name, scenario);
        }
      }
    }
    return all;
  }

  #make(vendor: VendorModule, op: OperationSpec, status: number): Scenario {
    const name = `${vendor.name}.${op.operationId}.${status}`;
    let scenario = this.#made.get(name);
    if (!scenario) {
      scenario = {
        name,
        description: `${op.method.toUpperCase()} ${op.path} answers ${status}: ${op.responses[String(status)]?.description ?? ''}`.trim(),
        fixtures: [],
        rules: [{ match: { vendor: vendor.name, operationId: op.operationId }, respond: { status } }],
        source: 'built-in',
      };
      this.#made.set(name, scenario);
    }
    return scenario;
  }
}

/** The built-in scenarios, then those of the files: a map whose built-in part is made as it is read. */
class ScenarioCatalog implements ReadonlyMap<string, Scenario> {
  #all: Map<string, Scenario> | undefined;

  constructor(
    private readonly builtIn: BuiltInScenarios,
    private readonly files: ReadonlyMap<string, Scenario>,
  ) {}

  get(name: string): Scenario | undefined {
    return this.files.get(name) ?? this.builtIn.get(name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  get size(): number {
    return this.#everything().size;
  }

  forEach(callback: (value: Scenario, key: string, map: ReadonlyMap<string, Scenario>) => void, thisArg?: unknown): void {
    this.#everything().forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  entries(): MapIterator<[string, Scenario]> {
    return this.#everything().entries();
  }

  keys(): MapIterator<string> {
    return this.#everything().keys();
  }

  values(): MapIterator<Scenario> {
    return this.#everything().values();
  }

  [Symbol.iterator](): MapIterator<[string, Scenario]> {
    return this.entries();
  }

  #everything(): Map<string, Scenario> {
    return (this.#all ??= new Map([...this.builtIn.all(), ...this.files]));
  }
}

/** Refuses rules that could never be honoured: unknown vendors or operations, undocumented statuses. */
function checkAgainstSpecs(scenario: Scenario, file: YamlFile, sources: ScenarioSources): void {
  const problems: string[] = [];
  scenario.fixtures.forEach((fixture, index) => {
    if (!sources.fixtures.has(fixture)) problems.push(`${file.locate(['fixtures', index])}: fixture "${fixture}" does not exist (there are: ${[...sources.fixtures].join(', ') || 'none'})`);
  });
  scenario.rules.forEach((rule, index) => {
    const at = (...path: Array<string | number>) => file.locate(['rules', index, ...path]);
    const vendors = [...sources.vendors.entries()].filter(([vendor]) => rule.match.vendor === undefined || vendor.name === rule.match.vendor);
    if (vendors.length === 0) {
      problems.push(`${at('match', 'vendor')}: unknown vendor "${rule.match.vendor}" (vendors: ${[...sources.vendors.keys()].map((v) => v.name).join(', ')})`);
      return;
    }
    const operations = vendors.flatMap(([vendor, spec]) => spec.operations.filter((op) => rule.match.operationId === undefined || op.operationId === rule.match.operationId).map((op) => ({ vendor, op })));
    if (operations.length === 0) {
      problems.push(`${at('match', 'operationId')}: no operation "${rule.match.operationId}"${rule.match.vendor ? ` in ${rule.match.vendor}` : ''}`);
      return;
    }
    const actions = [rule.drop, rule.rateLimit, rule.respond?.status ?? rule.respond?.example].filter((a) => a !== undefined);
    if (actions.length > 1) problems.push(`${at()}: choose one of drop, rateLimit and a forced respond status in a rule`);
    const status = rule.rateLimit ? 429 : rule.respond?.status;
    if (status !== undefined) {
      const undocumented = operations.filter(({ op }) => !documentedStatuses(op).includes(status));
      if (undocumented.length > 0) {
        problems.push(`${at(rule.rateLimit ? 'rateLimit' : 'respond')}: status ${status} is not documented by ${undocumented.map(({ vendor, op }) => `${vendor.name}.${op.operationId}`).join(', ')}; narrow the match or pick a documented status`);
      }
    }
    if (rule.respond?.example !== undefined) {
      const missing = operations.filter(({ op }) => !namedExamples(op).some((e) => e.name === rule.respond?.example && (status === undefined || e.status === status)));
      if (missing.length > 0) problems.push(`${at('respond', 'example')}: no example "${rule.respond.example}" in ${missing.map(({ vendor, op }) => `${vendor.name}.${op.operationId}`).join(', ')}`);
    }
    if (typeof rule.latency === 'object' && rule.latency.min > rule.latency.max) problems.push(`${at('latency')}: min is above max`);
  });
  if (problems.length > 0) throw new ConfigError(`campaign-mock: invalid scenario "${scenario.name}":\n  ${problems.join('\n  ')}`);
}
