import { ReplyError, type Reply } from '../../engine/reply.js';
import type { RequestContext } from '../../engine/vendor.js';
import type { Sandbox } from '../../store/sandboxes.js';
import { forbidden, notFound } from './errors.js';
import { actorEmail } from './present.js';
import type { CampaignRow, SarvamStore, Workspace } from './store.js';

/** A key's `sarvam:` section of the keys file (see keySettings in index.ts). */
interface SarvamKeySettings {
  org_id?: string;
  workspace_id?: string;
  concurrent_campaign_limit?: number;
}

/** What every Sarvam handler starts from: where it acts, when, and as whom. */
export interface WorkspaceRequest {
  workspace: Workspace;
  now: Date;
  /** The email written to created_by / updated_by. */
  actor: string;
}

function keySettings(sandbox: Sandbox): SarvamKeySettings {
  return (sandbox.access.vendors.sarvam ?? {}) as SarvamKeySettings;
}

/**
 * Enters the org and workspace of the request's path (the engine has already refused a key bound
 * to another, see keyBindingRefusal), starting the sandbox's campaigns whose start_timestamp has
 * come before anything reads them. (The engine has already run the dialer simulation up to now,
 * which ends campaigns at end_timestamp.)
 */
export function enterWorkspace(store: SarvamStore, request: RequestContext): WorkspaceRequest {
  const orgId = request.params.org_id as string;
  const workspaceId = request.params.workspace_id as string;
  const workspace = { sandboxId: request.sandbox.id, orgId, workspaceId };
  const now = request.now();
  store.startDueCampaigns(workspace.sandboxId, now.toISOString());
  return { workspace, now, actor: actorEmail(request.sandbox) };
}

/**
 * A workspace API key belongs to one workspace (Sarvam's API introduction); the keys file can say which. A key used
 * under another org or workspace is refused before its request is validated (VendorModule.authorize).
 */
export function keyBindingRefusal({ sandbox, params }: { sandbox: Sandbox; params: Readonly<Record<string, string>> }): Reply | undefined {
  const settings = keySettings(sandbox);
  const orgId = params.org_id;
  const workspaceId = params.workspace_id;
  const wrongOrg = settings.org_id !== undefined && settings.org_id !== orgId;
  const wrongWorkspace = settings.workspace_id !== undefined && settings.workspace_id !== workspaceId;
  if (!wrongOrg && !wrongWorkspace) return undefined;
  const boundTo = [
    settings.workspace_id === undefined ? undefined : `workspace ${settings.workspace_id}`,
    settings.org_id === undefined ? undefined : `organization ${settings.org_id}`,
  ]
    .filter((part) => part !== undefined)
    .join(' of ');
  const used = wrongOrg ? `organization ${orgId}` : `workspace ${workspaceId}`;
  return forbidden(`This API key is bound to ${boundTo}; it cannot be used under ${used}`);
}

/** The workspace's limit of active or scheduled campaigns: 10 by default (Sarvam's "Campaign lifecycle" page). */
export function concurrentCampaignLimit(request: RequestContext): number {
  return keySettings(request.sandbox).concurrent_campaign_limit ?? 10;
}

/** The campaign, if it was created under this org and workspace; otherwise a 404. */
export function findCampaign(store: SarvamStore, workspace: Workspace, campaignId: string): CampaignRow {
  const campaign = store.getCampaign(workspace, campaignId);
  if (!campaign) throw new ReplyError(notFound('Campaign not found'));
  return campaign;
}
