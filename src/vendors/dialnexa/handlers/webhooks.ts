import type { Handler } from '../../../engine/vendor.js';
import { randomId } from '../../../store/ids.js';
import { presentWebhook } from '../present.js';
import type { DialnexaStore, WebhookRow } from '../store.js';

interface CreateWebhookBody {
  url: string;
  events: string[];
  secret?: string;
  is_active?: boolean;
}

export function webhookHandlers(store: DialnexaStore): Record<string, Handler> {
  return {
    createUserWebhook(request) {
      const body = request.body as CreateWebhookBody;
      const webhook: WebhookRow = {
        sandbox_id: request.sandbox.id,
        id: randomId('wh_'),
        url: body.url,
        events: JSON.stringify(body.events),
        secret: body.secret ?? null,
        is_active: body.is_active === false ? 0 : 1,
        created_at: request.now().toISOString(),
      };
      store.insertWebhook(webhook);
      return { status: 201, body: presentWebhook(webhook) };
    },
  };
}
