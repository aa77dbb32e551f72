import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_ASSETS_DIR } from '../../src/app.js';
import { startMock, type Mock } from '../../src/start-mock.js';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';

const available = chromiumAvailable("the API reference page's browser test");

describe.skipIf(!available)('the API reference page, in headless Chromium', () => {
  let mock: Mock;
  let browser: Browser;
  beforeAll(async () => {
    expect(existsSync(`${DOCS_ASSETS_DIR}scalar-api-reference.js`), 'npm run build copies the page script').toBe(true);
    mock = await startMock();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await mock?.close();
  });

  it('loads from the mock alone, lists the three vendors, and its try-it calls the mock', async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(mock.url) && !request.url().startsWith('data:')) elsewhere.push(request.url());
    });
    await page.goto(`${mock.url}/__admin/docs`);
    await expect.poll(() => page.getByRole('heading', { name: 'DialNexa campaigns API (campaign-mock)' }).count(), { timeout: 15_000 }).toBe(1);

    await page.getByRole('button', { name: 'DialNexa' }).first().click();
    for (const vendor of ['Asisso', 'Sarvam']) await expect.poll(() => page.getByText(vendor, { exact: true }).count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: /test request/i }).first().click();
    await page.getByPlaceholder('Token').last().fill('dnx_docs_page');
    await page.getByRole('button', { name: /^send/i }).first().click();
    await expect.poll(() => page.getByText('201 Created').count(), { timeout: 10_000 }).toBeGreaterThan(0);

    const journal = (await (await fetch(`${mock.url}/__admin/requests?key=dnx_docs_page`)).json()) as { requests: Array<{ method: string; path: string; status: number }> };
    expect(journal.requests.map((r) => [r.method, r.path, r.status])).toEqual([['POST', '/v1/campaigns', 201]]);
    expect(elsewhere).toEqual([]);
  });
});
