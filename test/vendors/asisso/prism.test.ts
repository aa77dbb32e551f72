import { describe } from 'vitest';
import { behindPrism } from '../../helpers/behind-prism.js';
import { apiKeyHeaderAuth } from '../../helpers/caller.js';
import { asissoSeed } from './seed.js';
import { describeAsissoApi, KEYS_FILE } from './suite.js';

const SPEC = new URL('../../../specs/asisso.yaml', import.meta.url).pathname;

describe('Asisso API over HTTP, behind prism proxy --errors', () => {
  const prism = behindPrism({ spec: SPEC, keysFile: KEYS_FILE, auth: apiKeyHeaderAuth, minimumRequests: 250 });
  describeAsissoApi(() => ({ as: prism.as, storage: prism.as(null), seed: asissoSeed(prism.mock()), reset: prism.reset }), { viaPrism: true, contract: 'asisso' });
});
