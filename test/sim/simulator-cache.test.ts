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

describe('campaigns the simulator found it does not hold', () => {
  const setUp = () => {
    const db = openDatabase();
    migrate(db, [...sandboxMigrations, ...simMigrations]);
    const registry = new SandboxRegistry(db);
    const sandbox = registry.resolve('sim_absent') as { id: number };
    const other = registry.resolve('sim_absent_other') as { id: number };
    return { db, sandbox, other, simulator: new Simulator(db) };
  };
  /** A campaign written to the simulation's table behind the simulator's back, as another writer or a rolled-back delete would leave it. */
  const insertBehind = (db: ReturnType<typeof openDatabase>, sandboxId: number, ref: string) =>
    db.prepare("INSERT INTO sim_campaigns (sandbox_id, vendor, ref, state, policy, cursor_ms) VALUES (?, 'test', ?, 'running', ?, 0)").run(sandboxId, ref, JSON.stringify(policy));

  it('are answered without asking the database again, until they join', () => {
    const { db, sandbox, simulator } = setUp();
    expect(simulator.hasCampaign(sandbox.id, 'test', 'c1')).toBe(false);
    // Asked again, the simulator answers from what it found: a row it did not write is not seen.
    insertBehind(db, sandbox.id, 'c1');
    expect(simulator.hasCampaign(sandbox.id, 'test', 'c1')).toBe(false);
    db.prepare('DELETE FROM sim_campaigns').run();
    simulator.upsertCampaign(sandbox.id, 'test', 'c1', policy, 'running', 0);
    expect(simulator.hasCampaign(sandbox.id, 'test', 'c1')).toBe(true);
    expect(() => simulator.addContacts(sandbox.id, 'test', 'c1', [{ ref: 'l1', phone: '+14155551000' }], 0)).not.toThrow();
  });

  it('are asked of the database again once their sandbox is forgotten (a reset, a rolled-back write), and only theirs', () => {
    const { db, sandbox, other, simulator } = setUp();
    expect(simulator.hasCampaign(sandbox.id, 'test', 'c1')).toBe(false);
    expect(simulator.hasCampaign(other.id, 'test', 'c1')).toBe(false);
    insertBehind(db, sandbox.id, 'c1');
    insertBehind(db, other.id, 'c1');
    simulator.forget(sandbox.id);
    expect(simulator.hasCampaign(sandbox.id, 'test', 'c1')).toBe(true);
    expect(simulator.hasCampaign(other.id, 'test', 'c1')).toBe(false);
    simulator.forget();
    expect(simulator.hasCampaign(other.id, 'test', 'c1')).toBe(true);
  });
});
