// npm run soak: campaign-mock under mixed traffic for a while, watching its memory. The mock is
// started as a user starts it; eight clients create DialNexa campaigns and leads, read, patch and
// list them, move their sandbox clocks (so the dialer calls and webhooks queue) and reset their
// sandboxes after each round, each on keys of its own. RSS is sampled every 10 s; the run passes when
// the RSS at the end is within 20% of the RSS at the checkpoint.
//
//   SOAK_MINUTES=15 SOAK_CHECKPOINT_MINUTES=3 npm run soak
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MINUTES = Number(process.env.SOAK_MINUTES ?? 15);
const CHECKPOINT_MINUTES = Number(process.env.SOAK_CHECKPOINT_MINUTES ?? 3);
const CLIENTS = 8;
if (!(CHECKPOINT_MINUTES > 0 && MINUTES > CHECKPOINT_MINUTES)) throw new Error('campaign-mock: SOAK_MINUTES must be larger than SOAK_CHECKPOINT_MINUTES (both > 0)');

const port = await freePort();
const child = spawn(process.execPath, [`${ROOT}dist/cli.js`, '--port', String(port), '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
const url = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${url}/__admin/health`)).ok) break;
  } catch {
    if (i > 500) throw new Error('campaign-mock: the mock did not start');
    await sleep(20);
  }
}

const rssMb = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
const samples = [];
const started = Date.now();
const endAt = started + MINUTES * 60_000;
const checkpointAt = started + CHECKPOINT_MINUTES * 60_000;
let checkpoint;
let requests = 0;
let failures = 0;
const sampler = setInterval(() => {
  const rss = rssMb();
  samples.push({ atSeconds: Math.round((Date.now() - started) / 1000), rssMb: rss });
  if (checkpoint === undefined && Date.now() >= checkpointAt) checkpoint = rss;
  process.stdout.write(`soak: ${Math.round((Date.now() - started) / 1000)} s, ${requests} requests, ${failures} failed, RSS ${rss} MB\n`);
}, 10_000);

async function call(method, path, key, body, expected) {
  requests++;
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status !== expected) {
    failures++;
    process.stderr.write(`soak: ${method} ${path} answered ${res.status}, not ${expected}: ${text.slice(0, 200)}\n`);
  }
  return text ? JSON.parse(text) : undefined;
}

async function client(n) {
  let round = 0;
  while (Date.now() < endAt) {
    const key = `soak_${n}_${round % 50}`;
    const campaign = await call('POST', '/v1/campaigns', key, { name: `Soak ${round}`, agent_id: 'agt_soak', max_concurrent_calls: 5 }, 201);
    for (let i = 0; i < 5; i++) await call('POST', '/v1/campaigns-leads', key, { phoneNumber: `+1415${String(round % 1000).padStart(3, '0')}${String(i).padStart(4, '0')}`, campaignId: campaign.id }, 201);
    await call('GET', `/v1/campaigns/${campaign.id}`, key, undefined, 200);
    await call('PATCH', `/v1/campaigns/${campaign.id}`, key, { name: `Soak ${round} renamed` }, 200);
    await call('GET', '/v1/call-logs?page=1&limit=20', key, undefined, 200);
    await call('POST', `/__admin/clock/advance?key=${key}`, null, { seconds: 600 }, 200);
    // Each key is wiped before it comes round again, as a test suite resets its sandbox between
    // tests: the data stays the same size, so what grows is the mock's own.
    await call('POST', `/__admin/reset?key=${key}`, null, '{}', 200);
    round++;
  }
}

await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
clearInterval(sampler);
const end = rssMb();
child.kill('SIGTERM');
const ratio = Math.round((end / checkpoint) * 100) / 100;
process.stdout.write(
  `\nsoak: ${MINUTES} min, ${requests} requests, ${failures} failed; RSS ${checkpoint} MB at ${CHECKPOINT_MINUTES} min, ${end} MB at the end (× ${ratio}; at most 1.2 passes)\n`,
);
process.exit(failures === 0 && ratio <= 1.2 ? 0 : 1);

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
}
