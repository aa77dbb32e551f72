import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { onFirstUse } from '../on-first-use.js';

/** Node's resolver, loaded by the first webhook that needs it, not by every start. */
const dns = onFirstUse<typeof import('node:dns/promises')>('node:dns/promises');

/** Where a webhook may be sent: the address it was checked at, to connect to that and no other. */
export type WebhookTarget = { address: string; family: 4 | 6 } | { refused: string };

/** The mock's own listening address: webhooks never go there. */
export interface SelfAddress {
  port: number;
}

/**
 * Decides where webhooks may go. Loopback always (the default: a receiver in the test process);
 * any other host only when the user allowed it (`--webhook-allow`, by name, name:port or address;
 * `*` for any). Whatever the allow-list says, never to the mock itself (its own port on any local
 * address), never to a `/__admin` path on any host, and never to a link-local address (where
 * clouds serve instance metadata). Names are resolved first and the checks apply to every address
 * they resolve to, so a name cannot smuggle in a forbidden address; the delivery then connects to
 * the address checked, so a second lookup cannot either (DNS rebinding).
 */
export class WebhookTargets {
  readonly #allowed: ReadonlySet<string>;
  #self: SelfAddress | undefined;
  #localAddresses: ReadonlySet<string> | undefined;

  readonly #allowsAddresses: boolean;

  constructor(allowedHosts: readonly string[]) {
    this.#allowed = new Set(allowedHosts.map((host) => normalise(host.replace(/^\[|\]$/g, ''))));
    this.#allowsAddresses = [...this.#allowed].some((host) => isIP(host) !== 0);
  }

  /** Tells the checks the port the mock listens on (once it does). */
  setSelf(self: SelfAddress): void {
    this.#self = self;
  }

  async check(url: string): Promise<WebhookTarget> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { refused: `${url} is not a URL` };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { refused: `webhooks go over http or https, not ${parsed.protocol}` };
    if (parsed.pathname.toLowerCase().startsWith('/__admin')) {
      return { refused: `webhooks may not go to a /__admin path (${parsed.pathname}): the control plane is not a webhook receiver` };
    }
    const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const notAllowed = { refused: `webhooks may not go to ${url}; start the mock with --webhook-allow ${parsed.host} to allow that host` };
    const loopbackName = host === 'localhost' || (isIP(host) !== 0 && isLoopback(normalise(host)));
    const allowedByName = this.#allowed.has('*') || this.#allowed.has(host) || this.#allowed.has(parsed.host.toLowerCase());
    // Only an address in the allow-list can make a name allowed after resolving it: otherwise
    // there is nothing to look up.
    if (!loopbackName && !allowedByName && !this.#allowsAddresses) return notAllowed;
    let addresses: Array<{ address: string; family: 4 | 6 }>;
    if (isIP(host)) {
      addresses = [{ address: normalise(host), family: isIP(normalise(host)) as 4 | 6 }];
    } else {
      try {
        addresses = (await dns().lookup(host, { all: true })).map(({ address, family }) => ({ address: normalise(address), family: family as 4 | 6 }));
      } catch (error) {
        return { refused: `the host ${host} cannot be resolved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
      }
    }
    const first = addresses[0];
    if (!first) return { refused: `the host ${host} resolves to no address` };
    const linkLocal = addresses.find(({ address }) => isLinkLocal(address));
    if (linkLocal) return { refused: `${host} resolves to the link-local address ${linkLocal.address}, where clouds serve instance metadata; webhooks never go there` };
    const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
    if (this.#self && port === this.#self.port && addresses.some(({ address }) => this.#isLocal(address))) {
      return { refused: `${parsed.host} is this campaign-mock itself; webhooks never go to the mock` };
    }
    const allowed =
      (loopbackName && addresses.every(({ address }) => isLoopback(address))) || allowedByName || addresses.some(({ address }) => this.#allowed.has(address));
    return allowed ? first : notAllowed;
  }

  #isLocal(address: string): boolean {
    return isLoopback(address) || address === '0.0.0.0' || address === '::' || this.#machineAddresses().has(address);
  }

  /** This machine's own addresses, read when first needed (a webhook to the mock's own port). */
  #machineAddresses(): ReadonlySet<string> {
    return (this.#localAddresses ??= new Set(
      Object.values(networkInterfaces())
        .flat()
        .map((info) => normalise(info?.address ?? '')),
    ));
  }
}

/** `::ffff:127.0.0.1` is 127.0.0.1. */
function normalise(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped ? (mapped[1] as string) : address).toLowerCase();
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}

/** 169.254.0.0/16 and fe80::/10. */
function isLinkLocal(address: string): boolean {
  return address.startsWith('169.254.') || /^fe[89ab][0-9a-f]:/.test(address);
}
