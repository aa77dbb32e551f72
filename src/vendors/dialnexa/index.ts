import type { VendorModule } from '../../engine/vendor.js';
import { createDialnexaDialerEffects } from './dialer.js';
import { dialnexaErrors } from './errors.js';
import { dialnexaFixtures } from './fixtures.js';
import { callLogHandlers } from './handlers/call-logs.js';
import { campaignHandlers } from './handlers/campaigns.js';
import { leadHandlers, MAX_UPLOAD_BYTES } from './handlers/leads.js';
import { webhookHandlers } from './handlers/webhooks.js';
import { dialnexaMigrations } from './migrations.js';
import { DialnexaStore } from './store.js';

/** DialNexa: campaigns, campaign leads, call logs and user webhooks (specs/dialnexa.yaml). */
export const dialnexa: VendorModule = {
  name: 'dialnexa',
  title: 'DialNexa',
  basePath: '/v1',
  specFile: 'dialnexa.yaml',
  migrations: dialnexaMigrations,
  errors: dialnexaErrors,
  validationStatus: 400,
  emptyJsonBody: 'empty-object',
  keySettings: {
    type: 'object',
    additionalProperties: false,
    properties: {
      concurrency_limit: { type: 'integer', minimum: 1, description: 'Workspace concurrency limit (D18); default 100.' },
    },
  },
  // JSON: no documented limit, 1 MB here. Files: 10 MB (D7), plus room for the multipart framing.
  bodyLimits: { json: 1024 * 1024, multipart: MAX_UPLOAD_BYTES + 64 * 1024 },
  fixtures: dialnexaFixtures,
  createDialerEffects: (environment) => createDialnexaDialerEffects(new DialnexaStore(environment.db), environment),
  createHandlers(environment) {
    const store = new DialnexaStore(environment.db);
    return {
      ...campaignHandlers(store, environment),
      ...leadHandlers(store, environment),
      ...callLogHandlers(store),
      ...webhookHandlers(store),
    };
  },
};
