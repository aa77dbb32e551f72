import { ReplyError } from '../../engine/reply.js';
import { badRequest } from './errors.js';
import type { CampaignRow, CampaignState } from './store.js';

/**
 * Asisso's campaign state rules, in one place. Documented by Asisso: the state `draft` and
 * updates only in `draft` or `paused` (Asisso's "Update Campaign" page). The rest is Dograh's (Dograh's code and campaign runner), with `draft` for the
 * state its code calls `created`; the messages are Dograh's.
 */

export const INITIAL_STATE: CampaignState = 'draft';

type Action = 'start' | 'pause' | 'resume';

const TRANSITIONS: Record<Action, { from: readonly CampaignState[]; to: CampaignState; refusal: (current: CampaignState) => string }> = {
  // Dograh's campaign runner goes through `syncing` while a worker reads the CSV; the mock reads it at once.
  start: { from: ['draft'], to: 'running', refusal: (s) => `Campaign must be in 'draft' state to start, current state: ${s}` },
  pause: { from: ['running'], to: 'paused', refusal: (s) => `Campaign must be in 'running' or 'syncing' state to pause, current state: ${s}` },
  resume: { from: ['paused'], to: 'running', refusal: (s) => `Campaign must be in 'paused' state to resume, current state: ${s}` },
};

/** The state an action leads to, or a 400 when the current state does not allow it (Dograh's campaign runner). */
export function nextState(action: Action, current: CampaignState): CampaignState {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(current)) throw new ReplyError(badRequest(transition.refusal(current)));
  return transition.to;
}

/** Asisso's "Update Campaign" page: "only while the campaign is in draft or paused"; the 400 and its words are Dograh's (Dograh's code). */
const UPDATABLE: readonly CampaignState[] = ['draft', 'paused'];

export function assertUpdatable(state: CampaignState): void {
  if (!UPDATABLE.includes(state)) throw new ReplyError(badRequest(`Cannot update a ${state} campaign`));
}

/** Dograh's code: the call tags that mark a contact worth redialing, by reason. */
export const REDIAL_TAGS = { retry_on_voicemail: 'voicemail_detected', retry_on_no_answer: 'telephony_no-answer', retry_on_busy: 'telephony_busy' } as const;

/** Dograh's code: only a completed campaign is redialed, and only once. */
export function assertRedialable(campaign: CampaignRow): void {
  if (campaign.state !== 'completed') {
    throw new ReplyError(badRequest(`Only completed campaigns can be redialed (current state: ${campaign.state})`));
  }
  if (campaign.redialed_campaign_id !== null) throw new ReplyError(badRequest('This campaign has already been redialed'));
}
