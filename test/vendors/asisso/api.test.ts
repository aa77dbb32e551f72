import { afterAll, describe } from 'vitest';
import { apiKeyHeaderAuth } from '../../helpers/caller.js';
import { testMock } from '../../helpers/mock.js';
import { asissoSeed } from './seed.js';
import { describeAsissoApi, KEYS_FILE } from './suite.js';

describe('Asisso API, in process', () => {
  const { mock, as } = testMock({ keysFile: KEYS_FILE, auth: apiKeyHeaderAuth });
  const seed = asissoSeed(mock);
  afterAll(() => mock.close());
  describeAsissoApi(
    () => ({
      as,
      storage: as(null),
      seed,
      reset: async () => {
        await mock.app.request('/__admin/reset', { method: 'POST' });
      },
    }),
    { viaPrism: false, contract: 'asisso' },
  );
});
