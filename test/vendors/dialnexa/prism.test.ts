import { describe } from 'vitest';
import { bearerAuth } from '../../helpers/caller.js';
import { behindPrism } from '../../helpers/behind-prism.js';
import { dialnexaSeed } from '../../helpers/dialnexa-seed.js';
import { describeDialnexaApi, KEYS_FILE } from './suite.js';

const SPEC = new URL('../../../specs/dialnexa.yaml', import.meta.url).pathname;

describe('DialNexa API over HTTP, behind prism proxy --errors', () => {
  const prism = behindPrism({ spec: SPEC, keysFile: KEYS_FILE, auth: bearerAuth, minimumRequests: 100 });
  describeDialnexaApi(() => ({ as: prism.as, binary: prism.direct, seed: dialnexaSeed(prism.mock()), reset: prism.reset, advance: prism.advance }), { viaPrism: true });
});
