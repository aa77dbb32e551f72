import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';
import { sandboxMigrations, SandboxRegistry } from '../../src/store/sandboxes.js';
import { simMigrations } from '../../src/sim/migrations.js';
import type { CallEnd, DialPolicy } from '../../src/sim/model.js';
import { Simulator } from '../../src/sim/simulator.js';

const policy: DialPolicy = { concurrency: 1, maxAttempts: 2, retryDelaySeconds: 60, retryOn: ['busy'], finishWhenDialed: true };

describe('the simulator cache', () => {
  it('keeps at most cacheSize dialers in memory, and a campaign let go dials on from the database', () => {
    const db = openDatabase();
    migrate(db, [...sandboxMigrations, ...simMigrations]);
    const sandbox = new SandboxRegistry(db).resolve('sim_cache') as { id: number };
    const simulator = new Simulator(db, 3);
    const ends: Array<CallEnd & { campaign: string }> = [];
    const finished: string[] = [];
    simulator.registerEffects('test', {
      callEnded: ({ campaignRef }, call) => ends.push({ ...call, campaign: campaignRef }),
      campaignFinished: ({ campaignRef }) => finished.push(campaignRef),
    });
    const campaigns = Array.from({ length: 10 }, (_, i) => `c${i}`);
    for (const ref of campaigns) {
      simulator.upsertCampaign(sandbox.id, 'test', ref, policy, 'running', 0);
      // A busy number and an answering one: each campaign retries the first once.
      simulator.addContacts(sandbox.id, 'test', ref, [{ ref: `${ref}-busy`, phone: '+14155550001' }, { ref: `${ref}-ok`, phone: '+14155551000' }], 0);
      expect(simulator.cachedCampaigns).toBeLessThanOrEqual(3);
    }
    for (let t = 60_000; t <= 3_600_000; t += 60_000) simulator.settle(sandbox.id, t);
    expect(simulator.cachedCampaigns).toBeLessThanOrEqual(3);
    for (const ref of campaigns) {
      expect(ends.filter((end) => end.campaign === ref).map((end) => [end.contactRef, end.attempt])).toEqual([
        [`${ref}-busy`, 1],
        [`${ref}-ok`, 1],
        [`${ref}-busy`, 2],
      ]);
    }
    expect(finished.sort()).toEqual([...campaigns].sort());
  });
});
