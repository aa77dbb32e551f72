import type { VendorModule } from '../../engine/vendor.js';
import { sarvamPlan } from './contract-plan.js';
import { WebhookDeliveries } from './deliveries.js';
import { createSarvamDialerEffects } from './dialer.js';
import { campaignHandlers } from './handlers/campaigns.js';
import { cohortHandlers } from './handlers/cohorts.js';
import { webhookHandlers } from './handlers/webhooks.js';
import { sarvamFramework } from './errors.js';
import { sarvamFixtures } from './fixtures.js';
import { keyBindingRefusal } from './workspace.js';
import { sarvamMigrations } from './migrations.js';
import { SarvamStore } from './store.js';

/** Sarvam's scheduling API: campaigns, cohorts and webhook deliveries (specs/sarvam.yaml). */
export const sarvam: VendorModule<'sarvam'> = {
  name: 'sarvam',
  title: 'Sarvam',
  basePath: '/api/scheduling',
  specFile: 'sarvam.yaml',
  migrations: sarvamMigrations,
  ...sarvamFramework,
  keySettings: {
    type: 'object',
    additionalProperties: false,
    properties: {
      org_id: { type: 'string', minLength: 1, description: 'The only organization this key may be used under (403 otherwise).' },
      workspace_id: { type: 'string', minLength: 1, description: 'The only workspace this key may be used under (403 otherwise).' },
      concurrent_campaign_limit: { type: 'integer', minimum: 1, description: 'Campaigns active or scheduled at once per workspace (Sarvam\'s "Campaign lifecycle" page); default 10.' },
    },
  },
  // No limit is documented: 5 MB of JSON holds 1000 streamed users with their variables, and
  // uploaded cohort files get 20 MB.
  bodyLimits: { json: 5 * 1024 * 1024, multipart: 20 * 1024 * 1024 },
  authorize: keyBindingRefusal,
  fixtures: sarvamFixtures,
  contractPlan: sarvamPlan,
  create(environment) {
    const store = new SarvamStore(environment.db);
    const deliveries = new WebhookDeliveries(store, environment.webhooks);
    // One listener for every delivery of the app: the dialer's and those resent on request.
    deliveries.listen();
    return {
      handlers: {
        ...campaignHandlers(store, environment),
        ...cohortHandlers(store, environment),
        ...webhookHandlers(store, deliveries),
      },
      dialerEffects: createSarvamDialerEffects(store, deliveries),
    };
  },
};
