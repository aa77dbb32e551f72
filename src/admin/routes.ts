import { Hono } from 'hono';
import type { SandboxRegistry } from '../store/sandboxes.js';

export interface AdminOptions {
  sandboxes: SandboxRegistry;
}

/** An error of the mock itself (not a vendor's): `campaign-mock:` and what to do next. */
export function adminError(message: string) {
  return { error: `campaign-mock: ${message}` };
}

/**
 * The control plane, mounted at `/__admin` (PRODUCT.md §2). Tests outside this repository rely on
 * these routes: change them only compatibly.
 */
export function adminRoutes({ sandboxes }: AdminOptions): Hono {
  const admin = new Hono();

  // The app is fully built (specs compiled, vendors mounted) before the server listens, so
  // answering at all means every vendor route can be served.
  admin.get('/health', (c) => c.json({ status: 'ok' }));

  admin.post('/reset', (c) => {
    const key = c.req.query('key');
    if (key === undefined) {
      sandboxes.reset();
      return c.json({ status: 'ok', reset: 'all' });
    }
    if (key === '') return c.json(adminError('?key= is empty; give the API key of the sandbox to wipe, or omit ?key to wipe everything'), 400);
    sandboxes.reset(key);
    return c.json({ status: 'ok', reset: 'sandbox', key });
  });

  return admin;
}
