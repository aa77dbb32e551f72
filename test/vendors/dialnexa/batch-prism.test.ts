import { afterAll, describe } from 'vitest';
import { behindPrism } from '../../helpers/behind-prism.js';
import { bearerAuth, type Caller } from '../../helpers/caller.js';
import { BATCH_KEYS_FILE, describeDialnexaBatchCalls } from './batch-suite.js';
import { VENDOR_FILE, VENDOR_FILE_MISSING } from './vendor-file.js';

const OUR_SPEC = new URL('../../../specs/dialnexa.yaml', import.meta.url).pathname;

/** The batch suite over real HTTP, behind `prism proxy --errors` with one contract. */
function describeBehindPrism(spec: string, contract: 'ours' | 'vendor'): void {
  const prism = behindPrism({ spec, keysFile: BATCH_KEYS_FILE, auth: bearerAuth, minimumRequests: contract === 'ours' ? 140 : 135 });
  let requests = 0;
  const counted = (caller: Caller): Caller => (method, path, options) => {
    requests++;
    return caller(method, path, options);
  };
  afterAll(() => {
    console.info(`DialNexa batch calls behind prism proxy with ${spec}: ${requests} requests`);
  });
  describeDialnexaBatchCalls(
    () => ({
      as: (key) => counted(prism.as(key)),
      binary: prism.direct,
      reset: prism.reset,
      advance: prism.advance,
      now: (key) => {
        const mock = prism.mock();
        return mock.clocks.now(mock.sandboxes.resolve(key) as NonNullable<ReturnType<typeof mock.sandboxes.resolve>>).getTime();
      },
    }),
    { viaPrism: true, contract },
  );
}

describe('DialNexa batch calls over HTTP, behind prism proxy --errors with specs/dialnexa.yaml', () => {
  describeBehindPrism(OUR_SPEC, 'ours');
});

if (!VENDOR_FILE) console.warn(`campaign-mock: ${VENDOR_FILE_MISSING}.`);

describe.skipIf(!VENDOR_FILE)(
  VENDOR_FILE ? "DialNexa batch calls over HTTP, behind prism proxy --errors with DialNexa's own published OpenAPI" : `skipped: ${VENDOR_FILE_MISSING}`,
  () => {
    describeBehindPrism(VENDOR_FILE as string, 'vendor');
  },
);
