import type { Handler, VendorEnvironment } from '../../../engine/vendor.js';
import { randomId } from '../../../store/ids.js';
import { storedAppConfig, storedSchedule, storedWebhookConfig } from '../campaign-settings.js';
import { syncCampaign } from '../dialer.js';
import { assertStartNotUpdated, assertValidSchedule, assertValidWindow, type AllowedSchedule } from '../model-validators.js';
import { offsetPage } from '../pages.js';
import { presentCampaign, presentSummary } from '../present.js';
import { assertBelowCampaignLimit, assertUpdatable, isLive, statusAfter, statusBySchedule, type CampaignAction } from '../rules.js';
import type { CampaignListFilter, CampaignRow, CampaignSortColumn, CampaignStatus, SarvamStore } from '../store.js';
import { concurrentCampaignLimit, enterWorkspace, findCampaign } from '../workspace.js';

interface CreateCampaignBody {
  name: string;
  description?: string | null;
  app_config: unknown;
  webhook_config?: unknown;
  start_timestamp: string;
  end_timestamp: string;
  allowed_schedule: AllowedSchedule;
}

/** Sarvam's "Update Campaign" page: every field optional and nullable; null leaves the field as it is. */
interface UpdateCampaignBody {
  name?: string | null;
  description?: string | null;
  app_config?: unknown;
  end_timestamp?: string | null;
  allowed_schedule?: AllowedSchedule | null;
}

interface ListCampaignsQuery {
  campaign_status?: CampaignStatus;
  offset?: number;
  limit?: number;
  sort_by?: CampaignSortColumn;
  sort_order?: 'asc' | 'desc';
  search?: string;
}

/** ISO 8601 in UTC with milliseconds: stored so that text order is time order. */
function canonicalTime(value: string): string {
  return new Date(value).toISOString();
}

export function campaignHandlers(store: SarvamStore, { db, simulator }: VendorEnvironment): Record<string, Handler> {
  /** Saves a campaign and hands it to the simulation in one transaction. */
  const save = (write: () => CampaignRow, at: Date): CampaignRow =>
    db.transaction(() => {
      const campaign = write();
      syncCampaign(simulator, campaign, at.getTime());
      return campaign;
    })();

  return {
    'create-campaign'(request) {
      const body = request.body as CreateCampaignBody;
      const { workspace, now, actor } = enterWorkspace(store, request);
      assertValidSchedule(body.allowed_schedule, ['body', 'allowed_schedule']);
      const start = canonicalTime(body.start_timestamp);
      const end = canonicalTime(body.end_timestamp);
      assertValidWindow(start, end, now, body);
      assertBelowCampaignLimit(store.countLiveCampaigns(workspace), concurrentCampaignLimit(request));
      const campaign = save(() => store.insertCampaign({
        sandbox_id: workspace.sandboxId,
        org_id: workspace.orgId,
        workspace_id: workspace.workspaceId,
        id: randomId('camp-', 8),
        name: body.name,
        description: body.description ?? null,
        status: statusBySchedule(start, end, now),
        app_config: storedAppConfig(body.app_config),
        webhook_config: storedWebhookConfig(body.webhook_config),
        start_timestamp: start,
        end_timestamp: end,
        allowed_schedule: storedSchedule(body.allowed_schedule),
        created_by: actor,
        updated_by: actor,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      }), now);
      return { status: 200, body: presentSummary(campaign) };
    },

    'list-campaigns'(request) {
      const query = request.query as ListCampaignsQuery;
      const { workspace } = enterWorkspace(store, request);
      // Sarvam's "List Campaigns" page's defaults.
      const filter: CampaignListFilter = {
        sortBy: query.sort_by ?? 'created_at',
        sortOrder: query.sort_order ?? 'desc',
        limit: query.limit ?? 10,
        offset: query.offset ?? 0,
        ...(query.campaign_status === undefined ? {} : { status: query.campaign_status }),
        ...(query.search === undefined ? {} : { search: query.search }),
      };
      const { rows, total } = store.listCampaigns(workspace, filter);
      return { status: 200, body: offsetPage(request.url, rows.map(presentSummary), total, filter.limit, filter.offset) };
    },

    'get-campaign'(request) {
      const { workspace } = enterWorkspace(store, request);
      return { status: 200, body: presentCampaign(findCampaign(store, workspace, request.params.campaign_id as string)) };
    },

    'update-campaign'(request) {
      const body = request.body as UpdateCampaignBody;
      const { workspace, now, actor } = enterWorkspace(store, request);
      assertStartNotUpdated(body as Record<string, unknown>);
      if (body.allowed_schedule) assertValidSchedule(body.allowed_schedule, ['body', 'allowed_schedule']);
      const campaign = findCampaign(store, workspace, request.params.campaign_id as string);
      assertUpdatable(campaign.status);
      const end = body.end_timestamp ? canonicalTime(body.end_timestamp) : campaign.end_timestamp;
      if (body.end_timestamp) assertValidWindow(campaign.start_timestamp, end, now, body);
      const updated: CampaignRow = {
        ...campaign,
        name: body.name ?? campaign.name,
        description: body.description ?? campaign.description,
        app_config: body.app_config ? storedAppConfig(body.app_config) : campaign.app_config,
        end_timestamp: end,
        allowed_schedule: body.allowed_schedule ? storedSchedule(body.allowed_schedule) : campaign.allowed_schedule,
        updated_by: actor,
        updated_at: now.toISOString(),
      };
      return { status: 200, body: presentSummary(save(() => store.updateCampaign(updated), now)) };
    },

    'update-campaign-status'(request) {
      const { action } = request.body as { action: CampaignAction };
      const { workspace, now, actor } = enterWorkspace(store, request);
      const campaign = findCampaign(store, workspace, request.params.campaign_id as string);
      const status = statusAfter(action, campaign, now);
      if (action === 'resume' && isLive(status)) assertBelowCampaignLimit(store.countLiveCampaigns(workspace), concurrentCampaignLimit(request));
      const updated = save(() => store.updateCampaign({ ...campaign, status, updated_by: actor, updated_at: now.toISOString() }), now);
      return { status: 200, body: presentSummary(updated) };
    },
  };
}
