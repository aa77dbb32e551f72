import type { Database } from 'better-sqlite3';
import { crypto } from '../../../crypto.js';
import type { Reply } from '../../../engine/reply.js';
import type { Handler, RequestContext } from '../../../engine/vendor.js';
import { UntilChanged } from '../../../store/until-changed.js';
import { presentCallLog } from '../present.js';
import type { CallLogFilter, DialnexaStore } from '../store.js';
import { findCampaign } from './campaigns.js';

interface PageQuery {
  page?: number;
  limit?: number;
}

interface CallLogQuery extends PageQuery {
  agent_id?: string;
  campaign_id?: string;
  status?: string;
  sentiment?: string;
  start_date?: string;
  end_date?: string;
  duration_min?: number;
  duration_max?: number;
  created_at?: 'asc' | 'desc';
}

/** "Pagination": `page` from 1, `limit` 20 by default. */
function pageOf(query: PageQuery): { page: number; limit: number; offset: number } {
  const page = query.page ?? 1;
  const limit = query.limit ?? 20;
  return { page, limit, offset: (page - 1) * limit };
}

/** A page as sent: its body, the body's text, and the ETag of that text. */
interface Page {
  body: unknown;
  text: string;
  etag: string;
}

/** A page in the envelope of "Pagination", with an ETag; a 304 when it matches If-None-Match ("List call logs", "Pagination"). */
function listReply(request: RequestContext, store: DialnexaStore, pages: UntilChanged<Page>, filter: Omit<CallLogFilter, 'limit' | 'offset'>, query: PageQuery): Reply {
  const { page, limit, offset } = pageOf(query);
  const { body, text, etag } = pages.get(request.sandbox.id, `${page} ${limit} ${JSON.stringify(filter)}`, () => {
    const { rows, total } = store.listCallLogs(request.sandbox.id, { ...filter, limit, offset });
    const body = { data: rows.map(presentCallLog), meta: { page, limit, total, totalPages: Math.ceil(total / limit) } };
    // The text is the one sent: serialised once, for the tag and for the wire.
    const text = JSON.stringify(body);
    return { body, text, etag: `W/"${crypto().hash('sha1', text, 'base64url')}"` };
  });
  if (matchesEtag(request.header('if-none-match'), etag)) return { status: 304, headers: { etag } };
  return { status: 200, body, text, headers: { etag } };
}

/** If-None-Match compares weakly (RFC 9110 §13.1.2): a `W/` prefix does not matter. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => bare(tag) === bare(etag));
}

/**
 * The call-log lists. A page is read and serialised again only when the database has changed
 * since it was last sent (src/store/until-changed.ts): a test polling for its calls to end asks
 * for the same page many times between two changes.
 */
export function callLogHandlers(store: DialnexaStore, db: Database): Record<string, Handler> {
  const pages = new UntilChanged<Page>(db);
  return {
    listCampaignCallLogs(request) {
      const campaign = findCampaign(store, request, request.params.campaignId as string);
      return listReply(request, store, pages, { campaignId: campaign.id, order: 'desc' }, request.query as PageQuery);
    },

    listCallLogs(request) {
      const query = request.query as CallLogQuery;
      return listReply(
        request,
        store,
        pages,
        {
          campaignId: query.campaign_id,
          agentId: query.agent_id,
          status: query.status,
          sentiment: query.sentiment,
          startDate: query.start_date,
          endDate: query.end_date,
          durationMin: query.duration_min,
          durationMax: query.duration_max,
          order: query.created_at ?? 'desc',
        },
        query,
      );
    },
  };
}
