import { ReplyError } from '../../../engine/reply.js';
import type { Handler } from '../../../engine/vendor.js';
import { valueError } from '../../../frameworks/fastapi/index.js';
import type { WebhookDeliveries } from '../deliveries.js';
import { decodeCursor, encodeCursor } from '../pages.js';
import { presentDelivery } from '../present.js';
import type { SarvamStore } from '../store.js';
import { enterWorkspace, findCampaign } from '../workspace.js';

interface ListDeliveriesQuery {
  limit?: number;
  after?: string;
  before?: string;
  start_datetime?: string;
  end_datetime?: string;
}

export function webhookHandlers(store: SarvamStore, deliveries: WebhookDeliveries): Record<string, Handler> {
  return {
    /** Sarvam's "List webhook deliveries" page's cursor pagination: `after` pages to older deliveries, `before` to newer ones. */
    'list-webhook-deliveries'(request) {
      const query = request.query as ListDeliveriesQuery;
      const { workspace } = enterWorkspace(store, request);
      if (query.after !== undefined && query.before !== undefined) {
        throw new ReplyError(valueError(['query', 'before'], 'send either after or before, not both', query.before));
      }
      const after = query.after === undefined ? undefined : decodeCursor(query.after, 'after');
      const before = query.before === undefined ? undefined : decodeCursor(query.before, 'before');
      const campaign = findCampaign(store, workspace, request.params.campaign_id as string);
      const { rows, hasOlder, hasNewer } = store.listDeliveries(workspace.sandboxId, campaign.id, {
        limit: query.limit ?? 50,
        ...(after === undefined ? {} : { after }),
        ...(before === undefined ? {} : { before }),
        ...(query.start_datetime === undefined ? {} : { startDatetime: new Date(query.start_datetime).toISOString() }),
        ...(query.end_datetime === undefined ? {} : { endDatetime: new Date(query.end_datetime).toISOString() }),
      });
      const newest = rows[0];
      const oldest = rows[rows.length - 1];
      return {
        status: 200,
        body: {
          items: rows.map(presentDelivery),
          cursors: {
            after: oldest && hasOlder ? encodeCursor(oldest.seq) : null,
            before: newest && hasNewer ? encodeCursor(newest.seq) : null,
          },
        },
      };
    },

    /** Sarvam's "Retry webhook deliveries" page: at most 200 ids, de-duplicated; deliveries still running are skipped; 202 `{}`. */
    'retry-webhook-deliveries'(request) {
      const { attempt_ids: attemptIds } = request.body as { attempt_ids: string[] };
      const { workspace, now } = enterWorkspace(store, request);
      const campaign = findCampaign(store, workspace, request.params.campaign_id as string);
      deliveries.resend(workspace.sandboxId, campaign.id, [...new Set(attemptIds)], now);
      return { status: 202, body: {} };
    },
  };
}
