import type { Handler } from '../../../engine/vendor.js';
import { formatCsv } from '../../../formats/csv.js';
import { presentProgress, presentRun, pythonIsoformat } from '../present.js';
import { runConditionsFrom } from '../run-filters.js';
import type { AsissoStore } from '../store.js';
import { findCampaign } from './campaigns.js';

interface ReportQuery {
  start_date?: string;
  end_date?: string;
}

/** Dograh's run report columns (api/services/reports/run_report.py); the mock's runs extract no variables. */
const REPORT_COLUMNS = ['Run ID', 'Campaign ID', 'Agent ID', 'Agent Definition ID', 'Created At', 'Phone Number', 'Call Disposition', 'Call Duration (s)', 'Call Tags', 'Transcript URL', 'Recording URL'];

/** A date-time bound of the query as the stored UTC form, so the two compare as times. */
function storedTime(value: string | undefined): string | null {
  return value === undefined ? null : new Date(value).toISOString();
}

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
      // Dograh's code reads the filters before it looks the campaign up.
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

    downloadCampaignReport(request) {
      const query = request.query as ReportQuery;
      const campaign = findCampaign(store, request);
      const rows = store.reportRuns(request.sandbox.id, campaign.id, storedTime(query.start_date), storedTime(query.end_date)).map((run) => {
        const context = JSON.parse(run.initial_context) as { phone_number?: unknown };
        return [
          run.id,
          campaign.id,
          campaign.workflow_id,
          null,
          pythonIsoformat(run.created_at),
          typeof context.phone_number === 'string' ? context.phone_number : '',
          run.disposition,
          run.duration_seconds,
          (JSON.parse(run.call_tags) as string[]).join(', '),
          null,
          null,
        ];
      });
      return {
        status: 200,
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="campaign_${campaign.id}_report.csv"` },
        body: formatCsv([REPORT_COLUMNS, ...rows]),
      };
    },
  };
}
