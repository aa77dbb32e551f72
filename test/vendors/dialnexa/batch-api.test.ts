import { afterAll, describe } from 'vitest';
import { testMock } from '../../helpers/mock.js';
import { BATCH_KEYS_FILE, describeDialnexaBatchCalls } from './batch-suite.js';

describe('DialNexa batch calls, in process', () => {
  const { mock, as } = testMock({ keysFile: BATCH_KEYS_FILE });
  afterAll(() => mock.close());
  describeDialnexaBatchCalls(
    () => ({
      as,
      binary: as,
      reset: async () => {
        await mock.app.request('/__admin/reset', { method: 'POST' });
      },
      advance: async (key, seconds) => {
        await mock.app.request(`/__admin/clock/advance?key=${key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds }) });
      },
      now: (key) => mock.clocks.now(mock.sandboxes.resolve(key) as NonNullable<ReturnType<typeof mock.sandboxes.resolve>>).getTime(),
    }),
    { viaPrism: false, contract: 'ours' },
  );
});
