import { describe } from 'vitest';
import { behindPrism } from '../../helpers/behind-prism.js';
import { apiKeyHeaderAuth, makeCaller } from '../../helpers/caller.js';
import { asissoSeed } from './seed.js';
import { describeAsissoApi, KEYS_FILE } from './suite.js';

/** Dograh's own document (BSD-2, see test/fixtures/dograh/), the likely upstream of Asisso's API. */
const DOGRAH_SPEC = new URL('../../fixtures/dograh/openapi.json', import.meta.url).pathname;

/**
 * The Asisso suite held to a contract the mock's authors did not write. Dograh's document lists
 * 200, 404 and 422 for every operation and nothing for the presigned upload URL (S3's in Dograh),
 * so the cases answered with 400, 401, 403, 307, 405 or 413, and the PUT to the upload URL, are
 * left out (`contract: 'dograh'`); uploads go to the mock directly.
 */
describe("Asisso API over HTTP, behind prism proxy --errors with Dograh's document", () => {
  const prism = behindPrism({ spec: DOGRAH_SPEC, keysFile: KEYS_FILE, auth: apiKeyHeaderAuth, minimumRequests: 120 });
  describeAsissoApi(
    () => ({
      as: prism.as,
      storage: makeCaller((path, init) => Promise.resolve(prism.mock().app.request(path, init)), null, apiKeyHeaderAuth),
      seed: asissoSeed(prism.mock()),
      reset: prism.reset,
    }),
    { viaPrism: true, contract: 'dograh' },
  );
});
