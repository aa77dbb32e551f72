import { afterAll, describe } from 'vitest';
import { dialnexaSeed } from '../../helpers/dialnexa-seed.js';
import { testMock } from '../../helpers/mock.js';
import { describeDialnexaApi, KEYS_FILE } from './suite.js';

describe('DialNexa API, in process', () => {
  const { mock, as } = testMock({ keysFile: KEYS_FILE });
  const seed = dialnexaSeed(mock);
  afterAll(() => mock.close());
  describeDialnexaApi(
    () => ({
      as,
      binary: as,
      seed,
      reset: async () => {
        await mock.app.request('/__admin/reset', { method: 'POST' });
      },
      advance: async (key, seconds) => {
        await mock.app.request(`/__admin/clock/advance?key=${key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds }) });
      },
    }),
    { viaPrism: false },
  );
});
