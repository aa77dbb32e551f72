import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const PRISM = fileURLToPath(new URL('../../node_modules/.bin/prism', import.meta.url));

export interface PrismProxy {
  url: string;
  output(): string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `prism proxy <spec> <upstream>` on a free port: Prism forwards every request to the
 * mock and validates both sides against the spec. With `errors`, Prism answers a request that
 * breaks the spec itself (422/401) and replaces a response that breaks it with a 500; without,
 * it forwards everything and lists violations in the `sl-violations` header.
 */
export async function startPrismProxy(spec: string, upstream: string, { errors }: { errors: boolean }): Promise<PrismProxy> {
  const port = await freePort();
  const args = ['proxy', spec, upstream, '--port', String(port), '--host', '127.0.0.1', ...(errors ? ['--errors'] : [])];
  const child: ChildProcess = spawn(PRISM, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prism did not start within 45 s:\n${output}`)), 45_000);
    const check = () => {
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A violation Prism reports in `sl-violations`. */
export interface PrismViolation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

export function violationsOf(response: Response): PrismViolation[] {
  const header = response.headers.get('sl-violations');
  return header ? (JSON.parse(header) as PrismViolation[]) : [];
}
