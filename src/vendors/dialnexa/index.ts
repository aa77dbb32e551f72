import type { VendorModule } from '../../engine/vendor.js';
import { createBatchDialerEffects, routeDialerEffects } from './batch-calls/dialer.js';
import { BatchQueue } from './batch-calls/queue.js';
import { BatchStore } from './batch-calls/store.js';
import { dialnexaPlan } from './contract-plan.js';
import { createDialnexaDialerEffects } from './dialer.js';
import { dialnexaFramework } from './errors.js';
import { dialnexaFixtures } from './fixtures.js';
import { batchCallHandlers } from './handlers/batch-calls.js';
import { callLogHandlers } from './handlers/call-logs.js';
import { campaignHandlers } from './handlers/campaigns.js';
import { leadHandlers } from './handlers/leads.js';
import { MAX_UPLOAD_BYTES } from './leads-file.js';
import { webhookHandlers } from './handlers/webhooks.js';
import { dialnexaMigrations } from './migrations.js';
import { DialnexaStore } from './store.js';
import { WORKSPACE_SETTINGS_SCHEMA } from './workspace.js';

/** DialNexa: campaigns, campaign leads, call logs, user webhooks and batch calls (specs/dialnexa.yaml). */
export const dialnexa: VendorModule<'dialnexa'> = {
  name: 'dialnexa',
  title: 'DialNexa',
  basePath: '/v1',
  specFile: 'dialnexa.yaml',
  migrations: dialnexaMigrations,
  ...dialnexaFramework,
  keySettings: WORKSPACE_SETTINGS_SCHEMA,
  // JSON: no documented limit, 1 MB here. Files: 10 MB ("Bulk upload leads via file", the batch-calls OpenAPI), plus room for the multipart framing.
  bodyLimits: { json: 1024 * 1024, multipart: MAX_UPLOAD_BYTES + 64 * 1024 },
  fixtures: dialnexaFixtures,
  contractPlan: dialnexaPlan,
  create(environment) {
    const store = new DialnexaStore(environment.db);
    const batches = new BatchStore(environment.db);
    const queue = new BatchQueue(batches, environment.simulator);
    return {
      handlers: {
        ...campaignHandlers(store, environment),
        ...leadHandlers(store, environment),
        ...callLogHandlers(store, environment.db),
        ...webhookHandlers(store),
        ...batchCallHandlers({ store: batches, queue, campaigns: store, environment }),
      },
      dialerEffects: routeDialerEffects(createDialnexaDialerEffects(store, environment), createBatchDialerEffects(batches, queue, store, environment.webhooks)),
    };
  },
};
