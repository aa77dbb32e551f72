import type { VendorModule } from '../../engine/vendor.js';
import { asissoPlan } from './contract-plan.js';
import { createAsissoDialerEffects } from './dialer.js';
import { asissoFramework } from './errors.js';
import { asissoFixtures } from './fixtures.js';
import { campaignHandlers } from './handlers/campaigns.js';
import { lifecycleHandlers } from './handlers/lifecycle.js';
import { runHandlers } from './handlers/runs.js';
import { uploadHandlers } from './handlers/uploads.js';
import { asissoMigrations } from './migrations.js';
import { UploadUrlSigner } from './presigned-url.js';
import { AsissoStore } from './store.js';

/** Dograh's code: a contacts CSV is at most 10 MB (10,485,760 bytes). */
const MAX_CSV_BYTES = 10 * 1024 * 1024;

/** Asisso (Dograh's API): campaigns, their lifecycle and dialing, runs, and the CSV upload (specs/asisso.yaml). */
export const asisso: VendorModule<'asisso'> = {
  name: 'asisso',
  title: 'Asisso',
  basePath: '/api/v1',
  specFile: 'asisso.yaml',
  migrations: asissoMigrations,
  ...asissoFramework,
  keySettings: {
    type: 'object',
    additionalProperties: false,
    properties: {
      max_concurrency_limit: {
        type: 'integer',
        minimum: 1,
        description:
          "The organization's concurrent call limit (Dograh's code): max_concurrency above it is a 400, and a campaign without max_concurrency dials this many calls at once. Default: no limit beyond 1–100 on max_concurrency; 10 concurrent calls (Dograh's default organization limit) for a campaign without one.",
      },
    },
  },
  // FastAPI sets no body limit; the CSV upload, sent raw, is the largest body at 10 MB.
  bodyLimits: { json: MAX_CSV_BYTES, multipart: MAX_CSV_BYTES },
  fixtures: asissoFixtures,
  contractPlan: asissoPlan,
  create(environment) {
    const { db, simulator } = environment;
    const store = new AsissoStore(db);
    return {
      handlers: {
        ...uploadHandlers(store, new UploadUrlSigner()),
        ...campaignHandlers(store, simulator),
        ...lifecycleHandlers(store, environment),
        ...runHandlers(store),
      },
      dialerEffects: createAsissoDialerEffects(store, simulator),
    };
  },
};
