import { describe } from 'vitest';
import { apiKeyHeaderAuth } from '../../helpers/caller.js';
import { behindPrism } from '../../helpers/behind-prism.js';
import { advanceClock, sarvamSeed } from './seed.js';
import { describeSarvamApi, KEYS_FILE } from './suite.js';

const SPEC = new URL('../../../specs/sarvam.yaml', import.meta.url).pathname;

describe('Sarvam API over HTTP, behind prism proxy --errors', () => {
  const prism = behindPrism({ spec: SPEC, keysFile: KEYS_FILE, auth: apiKeyHeaderAuth, minimumRequests: 250 });
  describeSarvamApi(
    () => ({
      as: prism.as,
      seed: sarvamSeed(prism.mock()),
      reset: prism.reset,
      advanceClock: (key, seconds) => advanceClock(prism.mock(), key, seconds),
    }),
    { viaPrism: true },
  );
});
