import type { Handler } from '../../../engine/vendor.js';
import { presentProgress, presentRun } from '../present.js';
import { runConditionsFrom } from '../run-filters.js';
import type { AsissoStore } from '../store.js';
import { findCampaign } from './campaigns.js';

interface RunsQuery {
  page?: number;
  limit?: number;
  filters?: string;
  sort_by?: string;
  sort_order?: string;
}

export function runHandlers(store: AsissoStore): Record<string, Handler> {
  return {
    getCampaignProgress(request) {
      const campaign = findCampaign(store, request);
      return { status: 200, body: presentProgress(campaign, store.countFailedCalls(request.sandbox.id, campaign.id)) };
    },

    listCampaignRuns(request) {
      const query = request.query as RunsQuery;
      // G4 reads the filters before it looks the campaign up.
      const conditions = runConditionsFrom(query.filters);
      const campaign = findCampaign(store, request);
      const page = query.page ?? 1;
      const limit = query.limit ?? 50;
      const { rows, total } = store.listRuns(request.sandbox.id, campaign.id, {
        conditions,
        sortBy: query.sort_by === 'duration' ? 'duration_seconds' : 'created_at',
        order: query.sort_order === 'asc' ? 'asc' : 'desc',
        limit,
        offset: (page - 1) * limit,
      });
      return {
        status: 200,
        body: {
          runs: rows.map((row) => presentRun(row, campaign.workflow_id)),
          total_count: total,
          page,
          limit,
          total_pages: Math.ceil(total / limit),
        },
      };
    },
  };
}
