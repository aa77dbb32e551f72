import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSPECTOR_ASSETS_DIR } from '../../src/app.js';
import { startMock, type Mock } from '../../src/start-mock.js';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';

const available = chromiumAvailable("the inspector page's browser test");

/** Where the run leaves a screenshot of the page per vendor (INSPECTOR_SCREENSHOTS, or the temp folder). */
const SCREENSHOTS = process.env.INSPECTOR_SCREENSHOTS ?? join(tmpdir(), 'campaign-mock-inspector');

interface JournalEntry {
  id: number;
  method: string;
  path: string;
  query: string;
  status: number;
  scenario: string | null;
  violations: string[];
}

describe.skipIf(!available)('the inspector page, in headless Chromium', () => {
  let mock: Mock;
  let browser: Browser;
  beforeAll(async () => {
    expect(existsSync(`${INSPECTOR_ASSETS_DIR}uplot.js`), 'npm run build copies uPlot').toBe(true);
    mkdirSync(SCREENSHOTS, { recursive: true });
    // A frozen clock: time moves only when the page advances it.
    mock = await startMock({ speed: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await mock?.close();
  });

  const vendor = (key: string) => async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${mock.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const admin = async <T>(path: string): Promise<T> => (await (await fetch(`${mock.url}${path}`)).json()) as T;

  /** Opens the page on a sandbox, noting any request that leaves the mock. */
  const openPage = async (key: string, elsewhere: string[]): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('request', (request) => {
      if (!request.url().startsWith(mock.url) && !request.url().startsWith('data:')) elsewhere.push(request.url());
    });
    await page.goto(`${mock.url}/__admin/ui?key=${encodeURIComponent(key)}`);
    await expect.poll(() => page.locator('#controls #advance').count(), { timeout: 10_000 }).toBe(1);
    return page;
  };
  const tab = (page: Page, name: string) => page.getByRole('tab', { name }).click();
  const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent())?.trim() ?? '';

  it("shows a DialNexa campaign's progress, the timeline's counts and the journal as the vendor API and the journal report them", async () => {
    const KEY = 'dnx_inspector_page';
    const call = vendor(KEY);
    const created = await call('POST', '/v1/campaigns', { name: 'Spring renewals', agent_id: 'agt_1', from_phone_number: '+14155550100', max_concurrent_calls: 2, retry_config: { max_retries: 1, retry_interval_minutes: 10 } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const form = new FormData();
    form.append('file', new Blob(['phone_number,name\n+14155551000,Ana\n+14155550001,Ben\n+14155550002,Chen\n+14155550003,Dee\n+14155550004,Eve\n+14155551005,Fay\n'], { type: 'text/csv' }), 'leads.csv');
    const uploaded = await fetch(`${mock.url}/v1/campaigns-leads/upload-file/${id}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: form });
    expect(uploaded.status).toBe(201);

    const elsewhere: string[] = [];
    const page = await openPage(KEY, elsewhere);
    const row = `tr[data-campaign="${id}"]`;
    await expect.poll(() => text(page, `${row} [data-field=status]`)).toBe('running');
    expect(await text(page, `${row} [data-counter=total_leads]`)).toBe('total leads 6');

    // An hour of the dialer, from the page's own clock control.
    const before = (await admin<{ now: string }>(`/__admin/clock?key=${KEY}`)).now;
    await page.locator('#advance-amount').fill('60');
    await page.locator('#advance-unit').selectOption('minutes');
    await page.locator('#advance').click();
    await expect.poll(async () => Date.parse((await admin<{ now: string }>(`/__admin/clock?key=${KEY}`)).now) - Date.parse(before)).toBe(3_600_000);

    const campaign = (await call('GET', `/v1/campaigns/${id}`)).body as { status: string; total_leads: number; completed_calls: number; pending_calls: number };
    expect(campaign.completed_calls).toBeGreaterThan(0);
    await expect.poll(() => text(page, `${row} [data-counter=completed_calls]`)).toBe(`completed calls ${campaign.completed_calls}`);
    expect(await text(page, `${row} [data-field=status]`)).toBe(campaign.status);
    expect(await text(page, `${row} [data-counter=total_leads]`)).toBe(`total leads ${campaign.total_leads}`);
    expect(await text(page, `${row} [data-counter=pending_calls]`)).toBe(`pending calls ${campaign.pending_calls}`);
    expect(await text(page, `${row} [data-field=progress]`)).toBe(`${campaign.total_leads - campaign.pending_calls}/${campaign.total_leads}`);

    // The campaign opened: its leads as the vendor lists them, its calls as its call logs.
    await page.locator(row).click();
    await expect.poll(() => page.locator('table[data-table=leads] tbody tr').count()).toBe(6);
    const logs = ((await call('GET', `/v1/call-logs?campaign_id=${id}&limit=100`)).body.data ?? []) as Array<{ status: string }>;
    expect(await text(page, '[data-field=calls-total]')).toBe(String(logs.length));
    await page.screenshot({ path: join(SCREENSHOTS, 'inspector-dialnexa.png'), fullPage: true });

    await tab(page, 'Timeline');
    await expect.poll(() => page.locator('[data-chart=timeline] canvas').count()).toBeGreaterThan(0);
    const counts = {
      placed: logs.length,
      answered: logs.filter((log) => log.status === 'completed').length,
      failed: logs.filter((log) => ['busy', 'no_answer', 'failed'].includes(log.status)).length,
    };
    for (const [name, value] of Object.entries(counts)) expect([name, await text(page, `[data-total=${name}]`)]).toEqual([name, String(value)]);
    // Busy (0001) and unanswered (0002) leads are called again ten minutes later: two retries.
    expect(await text(page, '[data-total=retried]')).toBe('2');
    await page.screenshot({ path: join(SCREENSHOTS, 'inspector-dialnexa-timeline.png') });

    await tab(page, 'Journal');
    const { requests } = await admin<{ requests: JournalEntry[] }>(`/__admin/requests?key=${KEY}`);
    await expect.poll(() => text(page, '[data-field=journal-count]')).toBe(String(requests.length));
    const shown = await page.locator('table[data-table=journal] tbody tr').evaluateAll((rows) =>
      rows.map((r) => ['method', 'path', 'status'].map((field) => r.querySelector(`[data-field=${field}]`)?.textContent ?? '')),
    );
    expect(shown).toEqual(requests.reverse().map((r) => [r.method, r.path + r.query, String(r.status)]));
    expect(elsewhere).toEqual([]);
    await page.close();
  });

  it('marks a request a sticky scenario forced, and a request that broke the contract, with what it broke', async () => {
    const KEY = 'dnx_inspector_forced';
    const call = vendor(KEY);
    expect((await call('POST', '/v1/campaigns', { name: 'Before', agent_id: 'agt_1' })).status).toBe(201);
    const elsewhere: string[] = [];
    const page = await openPage(KEY, elsewhere);

    await page.locator('#scenario-name').selectOption('dialnexa-rate-limited');
    await page.locator('#scenario-set').click();
    await expect.poll(async () => (await admin<{ scenario: string | null }>(`/__admin/scenario?key=${KEY}`)).scenario).toBe('dialnexa-rate-limited');
    expect((await call('GET', '/v1/campaigns/cmp_nothing')).status).toBe(429);
    await page.locator('#scenario-clear').click();
    await expect.poll(async () => (await admin<{ scenario: string | null }>(`/__admin/scenario?key=${KEY}`)).scenario).toBe(null);
    const broken = await call('POST', '/v1/campaigns', { name: 42 });
    expect(broken.status).toBe(400);
    const answered = broken.body;

    await tab(page, 'Journal');
    const { requests } = await admin<{ requests: JournalEntry[] }>(`/__admin/requests?key=${KEY}`);
    const forced = requests.find((r) => r.status === 429) as JournalEntry;
    const violating = requests.find((r) => r.status === 400) as JournalEntry;
    expect(forced.scenario).toBe('dialnexa-rate-limited');
    expect(violating.violations.length).toBeGreaterThan(0);
    const forcedRow = page.locator(`tr[data-request-id="${forced.id}"]`);
    const violatingRow = page.locator(`tr[data-request-id="${violating.id}"]`);
    await expect.poll(() => violatingRow.count()).toBe(1);
    expect(await forcedRow.locator('[data-field=scenario]').textContent()).toBe('dialnexa-rate-limited');
    expect(await forcedRow.locator('[data-field=status]').textContent()).toBe('429');
    expect(await forcedRow.getAttribute('class')).toContain('forced');
    expect(await violatingRow.getAttribute('class')).toContain('violation');
    expect(await violatingRow.locator('[data-field=violations]').textContent()).toBe(`${violating.violations.length} violation${violating.violations.length === 1 ? '' : 's'}`);
    // Rows without a violation are not marked as one.
    expect(await page.locator('table[data-table=journal] tbody tr.violation').count()).toBe(requests.filter((r) => r.violations.length > 0).length);

    await violatingRow.click();
    await expect.poll(() => page.locator(`[data-detail="request-${violating.id}"] ul.violations li`).allTextContents()).toEqual(violating.violations);
    expect(JSON.parse((await page.locator('[data-field=request-body]').textContent()) ?? '')).toEqual({ name: 42 });
    // The answer shown is the one the caller got.
    expect(JSON.parse((await page.locator('[data-field=response-body]').textContent()) ?? '')).toEqual(answered);
    expect(elsewhere).toEqual([]);
    await page.close();
  });

  it('lists the webhooks a sandbox sent with their target, status, attempts, signature header and payload', async () => {
    const KEY = 'dnx_inspector_webhooks';
    const call = vendor(KEY);
    // A receiver that takes every delivery, so that none is retried while the page is read.
    const receiver: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const port = (receiver.address() as { port: number }).port;
      expect((await call('POST', '/v1/user-webhooks', { url: `http://127.0.0.1:${port}/hooks`, secret: 'whsec_page', events: ['call.completed', 'call.failed'] })).status).toBe(201);
      const created = await call('POST', '/v1/campaigns', { name: 'Hooked', agent_id: 'agt_1', from_phone_number: '+14155550100', retry_config: { max_retries: 0, retry_interval_minutes: 1 } });
      const form = new FormData();
      form.append('file', new Blob(['phone_number\n+14155551000\n+14155550004\n'], { type: 'text/csv' }), 'leads.csv');
      await fetch(`${mock.url}/v1/campaigns-leads/upload-file/${created.body.id as string}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: form });
      await mock.advance(3600, KEY);
      const { webhooks } = await admin<{ webhooks: Array<{ id: number; url: string; status: string; attempts: number; max_attempts: number; headers: Record<string, string>; body: { event: string } }> }>(
        `/__admin/webhooks?key=${KEY}`,
      );
      expect(webhooks.length).toBe(2);

      const elsewhere: string[] = [];
      const page = await openPage(KEY, elsewhere);
      await tab(page, 'Webhooks');
      await expect.poll(() => page.locator('table[data-table=webhooks] tbody tr[data-webhook]').count()).toBe(2);
      for (const hook of webhooks) {
        const row = `tr[data-webhook="${hook.id}"]`;
        expect(await text(page, `${row} [data-field=url]`)).toBe(hook.url);
        expect(await text(page, `${row} [data-field=status] .badge`)).toBe(hook.status);
        expect(await text(page, `${row} [data-field=attempts]`)).toBe(`${hook.attempts}/${hook.max_attempts}`);
        const signature = Object.entries(hook.headers).find(([name]) => /signature/i.test(name)) as [string, string];
        expect(await text(page, `${row} [data-field=signature]`)).toBe(`${signature[0]}: ${signature[1]}`);
        expect(await text(page, `${row} summary`)).toBe(hook.body.event);
      }
      expect(webhooks.map((hook) => hook.body.event).sort()).toEqual(['call.completed', 'call.failed']);
      expect(elsewhere).toEqual([]);
      await page.close();
    } finally {
      receiver.close();
    }
  });

  it('stays usable with a full journal of 10,000 requests and a campaign of 100,000 leads: both are shown a page at a time', async () => {
    const KEY = 'dnx_inspector_large';
    const call = vendor(KEY);
    const created = await call('POST', '/v1/campaigns', { name: 'Large', agent_id: 'agt_1', from_phone_number: '+14155550100' });
    const id = created.body.id as string;
    const phone = (i: number) => `+1415${String(2_000_000 + i).padStart(7, '0')}`;
    const rows = Array.from({ length: 100_000 }, (_, i) => phone(i)).join('\n');
    const form = new FormData();
    form.append('file', new Blob([`phone_number\n${rows}\n`], { type: 'text/csv' }), 'leads.csv');
    expect((await fetch(`${mock.url}/v1/campaigns-leads/upload-file/${id}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: form })).status).toBe(201);
    // Fill the journal to its capacity with this key's requests.
    for (let sent = 0; sent < 10_000; sent += 50) await Promise.all(Array.from({ length: 50 }, () => call('GET', `/v1/campaigns/${id}`)));
    const { requests, capacity } = await admin<{ requests: JournalEntry[]; capacity: number }>(`/__admin/requests?key=${KEY}&limit=10000`);
    expect([requests.length, capacity]).toEqual([10_000, 10_000]);

    const elsewhere: string[] = [];
    const page = await openPage(KEY, elsewhere);
    await tab(page, 'Journal');
    await expect.poll(() => text(page, '[data-field=journal-count]'), { timeout: 15_000 }).toBe('10000');
    const journalRows = page.locator('table[data-table=journal] tbody tr');
    expect(await journalRows.count()).toBe(100);
    await page.getByRole('button', { name: 'older ›' }).click();
    await expect.poll(() => journalRows.first().getAttribute('data-request-id')).toBe(String((requests[10_000 - 101] as JournalEntry).id));

    await tab(page, 'Campaigns');
    await page.locator(`tr[data-campaign="${id}"]`).click();
    await expect.poll(() => text(page, '[data-field=leads-total]')).toBe('100000');
    const leadRows = page.locator('table[data-table=leads] tbody tr');
    expect(await leadRows.count()).toBe(50);
    await page.getByRole('button', { name: 'next ›' }).click();
    await expect.poll(() => text(page, 'table[data-table=leads] tbody tr [data-field=phone_number]')).toBe(phone(50));
    expect(await leadRows.count()).toBe(50);
    expect(elsewhere).toEqual([]);
    await page.close();
  }, 120_000);

  /** Each vendor's own list of its campaigns: id, status and the counters its API reports. */
  const listedByVendor: Record<string, (key: string) => Promise<Array<{ id: string; status: string; counters: Record<string, number> }>>> = {
    asisso: async (key) => {
      const res = await fetch(`${mock.url}/api/v1/campaign/`, { headers: { 'x-api-key': key } });
      const { campaigns } = (await res.json()) as { campaigns: Array<{ id: number; state: string; processed_rows: number; failed_rows: number }> };
      return campaigns.map((c) => ({ id: String(c.id), status: c.state, counters: { processed_rows: c.processed_rows, failed_rows: c.failed_rows } }));
    },
    sarvam: async (key) => {
      const res = await fetch(`${mock.url}/api/scheduling/v1/orgs/org-demo/workspaces/ws-demo/campaigns?limit=100`, { headers: { 'x-api-key': key } });
      const { items } = (await res.json()) as { items: Array<{ campaign_id: string; status: string }> };
      return items.map((c) => ({ id: c.campaign_id, status: c.status, counters: {} }));
    },
  };

  it.each([
    ['asisso', 'asisso/campaigns'],
    ['sarvam', 'sarvam/campaigns'],
  ])("shows %s's campaigns, loaded from the page as a fixture, with the status and counters its API reports", async (name, fixture) => {
    const KEY = `${name}_inspector_page`;
    const elsewhere: string[] = [];
    const page = await openPage(KEY, elsewhere);
    // Looking creates no sandbox; the controls do.
    await expect.poll(() => text(page, '#panel')).toContain('has no sandbox yet');
    expect((await admin<{ sandboxes: Array<{ key: string }> }>('/__admin/sandboxes')).sandboxes.map((s) => s.key)).not.toContain(KEY);
    await page.locator('#fixture-name').selectOption(fixture);
    await page.locator('#fixture-load').click();
    await expect.poll(() => page.locator('table[data-table=campaigns] tbody tr[data-campaign]').count()).toBeGreaterThan(0);
    // An hour (the control's default) of dialing before the counters are compared.
    const before = Date.parse((await admin<{ now: string }>(`/__admin/clock?key=${KEY}`)).now);
    await page.locator('#advance').click();
    await expect.poll(async () => Date.parse((await admin<{ now: string }>(`/__admin/clock?key=${KEY}`)).now) - before).toBe(3_600_000);
    const listed = await (listedByVendor[name] as (key: string) => ReturnType<(typeof listedByVendor)['asisso']>)(KEY);
    expect(listed.length).toBeGreaterThan(0);
    await expect.poll(() => page.locator('table[data-table=campaigns] tbody tr[data-campaign]').count()).toBe(listed.length);
    for (const c of listed) {
      const row = `tr[data-vendor=${name}][data-campaign="${c.id}"]`;
      await expect.poll(() => text(page, `${row} [data-field=status]`)).toBe(c.status);
      for (const [counter, value] of Object.entries(c.counters)) expect(await text(page, `${row} [data-counter=${counter}]`)).toBe(`${counter.replace(/_/g, ' ')} ${value}`);
    }
    await page.screenshot({ path: join(SCREENSHOTS, `inspector-${name}.png`), fullPage: true });
    expect(elsewhere).toEqual([]);
    await page.close();
  });
});
