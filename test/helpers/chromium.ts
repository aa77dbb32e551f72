import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium), or wherever CHROMIUM_PATH says. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the browser tests can run; says which test is skipped, and why, when they cannot. */
export function chromiumAvailable(test: string): boolean {
  const available = existsSync(CHROMIUM);
  if (!available) console.warn(`campaign-mock: skipping ${test}: no Chromium at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM_PATH)`);
  return available;
}

/** Headless Chromium on a closed network: no background traffic, no sandbox (the tests may run as root). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
