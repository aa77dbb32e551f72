import type { JsonSchema } from '../../engine/spec/openapi.js';
import { ReplyError } from '../../engine/reply.js';
import type { Sandbox } from '../../store/sandboxes.js';
import { nestError } from '../../frameworks/nestjs/index.js';
import { badRequest, notFound } from './errors.js';

/**
 * A DialNexa workspace as a keys file describes it (`dialnexa:` in a key's entry): its concurrency
 * limit ("Concurrency and limits"), its agents and their versions (the batch-calls OpenAPI), and the destinations its telephony
 * configuration does not enable ("Errors", the batch-calls OpenAPI). Without a keys file, every setting is at its default.
 */

/** The Scale tier's workspace concurrency ("Concurrency and limits"). */
export const DEFAULT_CONCURRENCY_LIMIT = 100;
/** The outbound number of an agent the keys file does not describe: the batch-calls OpenAPI's example number. */
export const DEFAULT_FROM_NUMBER = '+14155552671';

interface AgentSettings {
  published_versions: number[];
  draft_versions?: number[];
  from_number?: string;
}

export interface DialnexaWorkspace {
  concurrencyLimit: number;
  /** The workspace's agents by id; absent: every agent exists, with every version published. */
  agents?: Readonly<Record<string, AgentSettings>>;
  /** Number prefixes (`+44`, `+9180`) the workspace may not call. */
  blockedDestinations: readonly string[];
}

const E164_PATTERN = '^\\+[1-9][0-9]{1,14}$';
const version = { type: 'integer', minimum: 1 };

/** JSON Schema of a key's `dialnexa:` section. */
export const WORKSPACE_SETTINGS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    concurrency_limit: { type: 'integer', minimum: 1, description: `Workspace concurrency limit ("Concurrency and limits"); default ${DEFAULT_CONCURRENCY_LIMIT}.` },
    agents: {
      type: 'object',
      description: 'The agents batch calls may use, by agent_id (the batch-calls OpenAPI); without it every agent exists with every version published.',
      additionalProperties: {
        type: 'object',
        required: ['published_versions'],
        additionalProperties: false,
        properties: {
          published_versions: { type: 'array', minItems: 1, uniqueItems: true, items: version },
          draft_versions: { type: 'array', uniqueItems: true, items: version },
          from_number: { type: 'string', pattern: E164_PATTERN, description: 'The outbound number attached to the agent.' },
        },
      },
    },
    blocked_destinations: {
      type: 'array',
      description: 'Number prefixes the workspace may not call: a batch with such a recipient is a 403 (the batch-calls OpenAPI).',
      items: { type: 'string', pattern: '^\\+[0-9]{1,15}$' },
    },
  },
};

export function workspaceOf(sandbox: Sandbox): DialnexaWorkspace {
  const settings = (sandbox.access.vendors.dialnexa ?? {}) as {
    concurrency_limit?: number;
    agents?: Record<string, AgentSettings>;
    blocked_destinations?: string[];
  };
  return {
    concurrencyLimit: settings.concurrency_limit ?? DEFAULT_CONCURRENCY_LIMIT,
    ...(settings.agents ? { agents: settings.agents } : {}),
    blockedDestinations: settings.blocked_destinations ?? [],
  };
}

/**
 * The agent version a batch call uses and its outbound number (the batch-calls OpenAPI): the version asked for, or
 * the agent's latest published one. A draft is a 400, a missing agent or version a 404, with
 * the batch-calls OpenAPI's messages.
 */
export function resolveAgentVersion(workspace: DialnexaWorkspace, agentId: string, requested: number | undefined): { version: number | null; fromNumber: string } {
  if (!workspace.agents) return { version: requested ?? null, fromNumber: DEFAULT_FROM_NUMBER };
  const agent = workspace.agents[agentId];
  if (!agent) throw new ReplyError(notFound(`Agent ${agentId} not found`));
  const published = [...agent.published_versions].sort((a, b) => a - b);
  const version = requested ?? (published[published.length - 1] as number);
  if (!published.includes(version)) {
    if (agent.draft_versions?.includes(version)) {
      throw new ReplyError(badRequest(`Version ${version} of agent ${agentId} is a draft. Publish it before starting a batch call.`));
    }
    throw new ReplyError(notFound(`Agent ${agentId} has no version ${version}. Published versions: ${published.join(', ')}.`));
  }
  if (!agent.from_number) {
    throw new ReplyError(badRequest(`Version ${version} of agent ${agentId} has no outbound phone number. Attach one before starting a batch call.`));
  }
  return { version, fromNumber: agent.from_number };
}

/**
 * The outbound number of a campaign created without `from_phone_number` ("Create a campaign"
 * makes it optional and answers it as a string): the agent's number when the keys file describes
 * the agent, else the workspace's default.
 */
export function agentFromNumber(workspace: DialnexaWorkspace, agentId: string): string {
  return workspace.agents?.[agentId]?.from_number ?? DEFAULT_FROM_NUMBER;
}

/** the batch-calls OpenAPI's 403 for a destination the workspace's telephony configuration does not enable. */
export function assertDestinationsEnabled(workspace: DialnexaWorkspace, numbers: Iterable<string>): void {
  if (workspace.blockedDestinations.length === 0) return;
  for (const number of numbers) {
    if (workspace.blockedDestinations.some((prefix) => number.startsWith(prefix))) {
      throw new ReplyError(nestError(403, 'Destination country or network prefix is not enabled for this workspace'));
    }
  }
}
