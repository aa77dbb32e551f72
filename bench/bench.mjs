// npm run bench: campaign-mock side by side with `prism mock` on the same spec, then the mock's own
// costs (startup, memory, reset, scale, the dialer). Prints a table and writes bench/results.json.
//
// On a machine with two or more cores the servers run on core 0 and the load generator on core 1
// (taskset), so they do not compete. Each figure is the median of BENCH_ROUNDS rounds (default 5).
// BENCH_ONLY=upload,startup measures only those parts (startup, versusPrism, reset, resetAtScale,
// scale, dialer, upload) and keeps the other figures of bench/results.json.
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = 16;
const canPin = cpus().length >= 2 && hasTaskset();
// The startup floor: a bare Node HTTP server answering every request with the same 200.
const BARE_NODE_SERVER = "require('node:http').createServer((req, res) => res.end('{\"status\":\"ok\"}')).listen(Number(process.argv[1]), '127.0.0.1')";

if (canPin && !process.env.BENCH_PINNED) {
  // Re-run this script on core 1; the servers it starts go on core 0.
  const child = spawn('taskset', ['-c', '1', process.execPath, fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  await main();
}

async function main() {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('campaign-mock: run "npm run build" first (npm run bench does)');
  const results = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, pinned: canPin }, rounds: ROUNDS, secondsPerRound: SECONDS, connections: CONNECTIONS };
  log(`campaign-mock benchmark: ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections${canPin ? ', servers on core 0, load on core 1' : ' (not pinned: fewer than 2 cores or no taskset)'}`);

  const parts = { startup: startupTimes, versusPrism, reset: resetTimes, resetAtScale: resetAt100kKeys, scale, dialer: dialer100k, upload: uploadRows };
  const only = process.env.BENCH_ONLY?.split(',').map((part) => part.trim());
  const unknown = only?.filter((part) => !(part in parts)) ?? [];
  if (unknown.length > 0) throw new Error(`campaign-mock: BENCH_ONLY names no part "${unknown.join('", "')}"; the parts are ${Object.keys(parts).join(', ')}`);
  if (only) Object.assign(results, JSON.parse(readFileSync(join(ROOT, 'bench/results.json'), 'utf8')), { machine: results.machine });
  for (const [name, measure] of Object.entries(parts)) if (!only || only.includes(name)) results[name] = await measure();

  writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
}

// ---- the mock and Prism on the same requests ------------------------------------------------

async function versusPrism() {
  const mock = await startMockAsUsersDo();
  // What a mock just started holds, before any request.
  const idleRssMb = rssMb(mock.pid);
  const prism = await startServer('prism', [join(ROOT, 'node_modules/.bin/prism'), 'mock', join(ROOT, 'specs/dialnexa.yaml'), '--port', '{port}', '--host', '127.0.0.1', '-v', 'silent'], '/');
  const ceiling = await startServer('ceiling', [process.execPath, join(ROOT, 'bench/ceiling.mjs'), '{port}'], '/v1/call-logs');
  const key = 'bench';
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  // Data for the mock: a campaign to read and update, and call logs to list; the ceiling its own.
  await fetch(`${mock.url}/__admin/fixtures?key=${key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'dialnexa/campaigns' }) });
  const body = { name: 'Bench', agent_id: 'agt_1', from_phone_number: '+14155550100' };
  const ids = {};
  for (const [name, server] of [['mock', mock], ['ceiling', ceiling]]) {
    ids[name] = (await (await fetch(`${server.url}/v1/campaigns`, { method: 'POST', headers: auth, body: JSON.stringify(body) })).json()).id;
  }
  // Prism answers any id with its example; the mock's id serves.
  ids.prism = ids.mock;
  const operations = [
    { name: 'GET a campaign', method: 'GET', path: (id) => `/v1/campaigns/${id}`, expect: 200 },
    { name: 'POST create', method: 'POST', path: () => '/v1/campaigns', body, expect: 201 },
    { name: 'PATCH', method: 'PATCH', path: (id) => `/v1/campaigns/${id}`, body: { name: 'Bench renamed' }, expect: 200 },
    { name: 'list page', method: 'GET', path: () => '/v1/call-logs?page=1&limit=20', expect: 200 },
    { name: 'rejected (400/422)', method: 'POST', path: () => '/v1/campaigns', body: { name: 5 }, expect: 'rejected' },
  ];
  const servers = [['mock', mock], ['ceiling', ceiling], ['prism', prism]];
  const rows = [];
  try {
    for (const op of operations) {
      const row = { operation: op.name };
      const runs = { mock: [], ceiling: [], prism: [] };
      const ratios = { prism: [], prism99: [], ceiling: [] };
      for (const [name, server] of servers) await load(server.url, { ...op, path: op.path(ids[name]) }, auth, 1); // warm up
      // Rounds interleaved, so a slow moment of the machine weighs on all three alike; the
      // ratios are taken per round, then their median.
      for (let i = 0; i < ROUNDS; i++) {
        const round_ = {};
        for (const [name, server] of servers) {
          round_[name] = await load(server.url, { ...op, path: op.path(ids[name]) }, auth, SECONDS);
          runs[name].push(round_[name]);
        }
        ratios.prism.push(round_.mock.rps / round_.prism.rps);
        ratios.prism99.push(round_.prism.p99 / Math.max(round_.mock.p99, 0.01));
        ratios.ceiling.push(round_.mock.rps / round_.ceiling.rps);
      }
      for (const name of Object.keys(runs)) row[name] = medianOf(runs[name]);
      row.throughputRatio = round(median(ratios.prism), 1);
      row.p99Ratio = round(median(ratios.prism99), 1);
      row.ofCeiling = round(median(ratios.ceiling), 2);
      // Each round's ratios, so a median can be read against its spread.
      row.perRound = { throughputRatio: ratios.prism.map((r) => round(r, 2)), p99Ratio: ratios.prism99.map((r) => round(r, 1)), ofCeiling: ratios.ceiling.map((r) => round(r, 2)) };
      rows.push(row);
    }
    return { spec: 'specs/dialnexa.yaml', operations: rows, mockIdleRssMb: idleRssMb, mockRssMb: rssMb(mock.pid) };
  } finally {
    await mock.stop();
    await prism.stop();
    await ceiling.stop();
  }
}

async function load(url, op, headers, seconds) {
  const result = await autocannon({
    url: `${url}${op.path}`,
    method: op.method,
    headers,
    ...(op.body ? { body: JSON.stringify(op.body) } : {}),
    connections: CONNECTIONS,
    duration: seconds,
  });
  const total = result.requests.total;
  const ok = op.expect === 'rejected' ? result['4xx'] : result['2xx'];
  if (result.errors > 0 || result.timeouts > 0 || ok < total * 0.99) {
    throw new Error(`campaign-mock: ${op.name} on ${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${ok} of ${total} answered as expected`);
  }
  return { rps: round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99 };
}

// ---- the mock's own costs ---------------------------------------------------------------------

async function startupTimes() {
  const mock = (env) => startMock([], env);
  // The floor: a bare Node HTTP server answering every request with the same 200, started and
  // polled the same way. What the mock adds to it is the mock's own start.
  const bare = (env) => startServer('node', [process.execPath, '-e', BARE_NODE_SERVER, '{port}'], '/__admin/health', env);
  const result = await startupRuns(mock, bare);
  if (process.env.NODE_EXTRA_CA_CERTS) {
    // Node reads the certificates it names before running any script, in every process it starts.
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    result.withoutExtraCaCerts = {
      note: 'NODE_EXTRA_CA_CERTS is set on this machine; Node reads that file at the start of every process',
      ...(await startupRuns(() => mock(env), () => bare(env))),
    };
  }
  return result;
}

/**
 * Five starts of the mock to a 200 on the ready path, each followed by a start of the bare server,
 * so that a slow moment of the machine weighs on both: each run, their medians, and the median of
 * what each start of the mock took beyond the bare start after it.
 */
async function startupRuns(startMockServer, startBareServer) {
  const mockRuns = [];
  const bareRuns = [];
  for (let i = 0; i < 5; i++) {
    for (const [start, runs] of [[startMockServer, mockRuns], [startBareServer, bareRuns]]) {
      const server = await start();
      runs.push(round(server.readyAfterMs));
      await server.stop();
    }
  }
  return {
    toHealthyMs: { runs: mockRuns, median: median(mockRuns) },
    nodeFloorMs: { runs: bareRuns, median: median(bareRuns) },
    beyondNodeFloorMs: median(mockRuns.map((ms, i) => ms - bareRuns[i])),
  };
}

async function resetTimes() {
  const mock = await startMock([]);
  try {
    const one = [];
    const all = [];
    for (let i = 0; i < 20; i++) {
      await fetch(`${mock.url}/__admin/fixtures?key=reset_${i}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'dialnexa/campaigns' }) });
      let started = performance.now();
      await fetch(`${mock.url}/__admin/reset?key=reset_${i}`, { method: 'POST' });
      one.push(performance.now() - started);
      started = performance.now();
      await fetch(`${mock.url}/__admin/reset`, { method: 'POST' });
      all.push(performance.now() - started);
    }
    return { oneSandboxMs: round(median(one), 2), everythingMs: round(median(all), 2), note: 'over HTTP, a sandbox holding the dialnexa/campaigns fixture' };
  } finally {
    await mock.stop();
  }
}

/** Resets with 100,000 sandboxes, each with a campaign: one sandbox, then everything. */
async function resetAt100kKeys() {
  const { createMockApp } = await import(join(ROOT, 'lib/app.js'));
  const mock = createMockApp({ speed: 0, logger: quiet() });
  const keys = 100_000;
  const body = JSON.stringify({ name: 'Reset', agent_id: 'agt_reset' });
  for (let i = 0; i < keys; i++) {
    const res = await mock.app.request('/v1/campaigns', { method: 'POST', headers: { authorization: `Bearer reset_${i}`, 'content-type': 'application/json' }, body });
    if (res.status !== 201) throw new Error(`campaign-mock: bench could not create campaign ${i}: ${res.status}`);
  }
  const admin = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
  let started = performance.now();
  await mock.app.request('/__admin/reset?key=reset_50000', admin);
  const oneSandboxMs = performance.now() - started;
  started = performance.now();
  await mock.app.request('/__admin/reset', admin);
  const everythingMs = performance.now() - started;
  mock.close();
  return { keys, oneSandboxMs: round(oneSandboxMs, 2), everythingMs: round(everythingMs), note: 'in process, each sandbox holding one DialNexa campaign' };
}

/**
 * GET and list latency with 100 and with 100,000 campaigns in the sandbox: the cost must stay
 * flat. Both mocks run side by side, their rounds interleaved, so a slow stretch of the machine
 * weighs on both sizes alike.
 */
async function scale() {
  const { createMockApp } = await import(join(ROOT, 'lib/app.js'));
  const dnx = { authorization: 'Bearer scale', 'content-type': 'application/json' };
  const srv = { 'x-api-key': 'scale', 'content-type': 'application/json' };
  const sarvamBase = '/api/scheduling/v1/orgs/org-b/workspaces/ws-b';
  const sizes = [];
  try {
    for (const count of [100, 100_000]) {
      const { dir, db, copies } = await fill(count);
      sizes.push({ count, dir, copies, mock: await startMock(['--db', db]) });
    }
    const get = ({ mock, copies }, seconds) =>
      load(mock.url, { name: 'get', method: 'GET', path: `/v1/campaigns/cmp_${String(Math.floor(copies / 2) || 1).padStart(12, '0')}`, expect: 200 }, dnx, seconds);
    const list = ({ mock }, seconds) => load(mock.url, { name: 'list', method: 'GET', path: `${sarvamBase}/campaigns?limit=10`, expect: 200 }, srv, seconds);
    for (const size of sizes) {
      // Warm up.
      await get(size, 1);
      await list(size, 1);
    }
    const results = sizes.map(() => ({ get: [], list: [] }));
    for (let i = 0; i < ROUNDS; i++) {
      for (const [index, size] of sizes.entries()) results[index].get.push(await get(size, SECONDS));
      for (const [index, size] of sizes.entries()) results[index].list.push(await list(size, SECONDS));
    }
    return sizes.map(({ count }, index) => ({ campaigns: count, get: medianOf(results[index].get), listFirstPage: medianOf(results[index].list) }));
  } finally {
    for (const { mock, dir } of sizes) {
      await mock.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** A database file holding `count` DialNexa and `count` Sarvam campaigns in one sandbox. */
  async function fill(count) {
    const dir = mkdtempSync(join(tmpdir(), 'campaign-mock-bench-'));
    const db = join(dir, 'scale.sqlite');
    const app = createMockApp({ db, speed: 0, logger: quiet() });
    const one = await (await app.app.request('/v1/campaigns', { method: 'POST', headers: dnx, body: JSON.stringify({ name: 'Scale', agent_id: 'agt_1', from_phone_number: '+14155550100', scheduled_at: '2099-01-01T00:00:00Z' }) })).json();
    const start = new Date(Date.now() + 86_400_000 * 365).toISOString();
    const end = new Date(Date.now() + 86_400_000 * 400).toISOString();
    const sarvam = await app.app.request(`${sarvamBase}/campaigns`, {
      method: 'POST',
      headers: srv,
      body: JSON.stringify({
        name: 'Scale',
        app_config: { app_id: 'bench', app_type: 'agent', app_version: 1 },
        start_timestamp: start,
        end_timestamp: end,
        allowed_schedule: { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: ['Monday'], timezone: 'UTC' },
      }),
    });
    if (sarvam.status >= 300) throw new Error(`campaign-mock: bench could not create a Sarvam campaign: ${await sarvam.text()}`);
    // Copies of the real rows under new ids, so every copy is a campaign the API can serve.
    const copies = count - 1;
    app.db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${copies})
      INSERT INTO dialnexa_campaigns SELECT c.sandbox_id, printf('cmp_%012d', n.i), c.name, c.agent_id, c.from_phone_number, c.status, c.max_concurrent_calls,
        c.scheduled_at, c.max_retries, c.retry_interval_minutes, c.total_leads, c.completed_calls, c.pending_calls, c.created_at, c.updated_at
      FROM dialnexa_campaigns c, n WHERE c.id = '${one.id}'`);
    const columns = app.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('sarvam_campaigns');
    const select = columns.map((column) => (column === 'id' ? "printf('camp-%08d', n.i)" : column === 'created_at' ? "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || n.i || ' seconds')" : `c.${column}`)).join(', ');
    app.db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${copies})
      INSERT INTO sarvam_campaigns (${columns.join(', ')}) SELECT ${select} FROM sarvam_campaigns c, n WHERE c.name = 'Scale'`);
    app.close();
    return { dir, db, copies };
  }
}

async function dialer100k() {
  const { createMockApp } = await import(join(ROOT, 'lib/app.js'));
  const mock = createMockApp({ speed: 0, logger: quiet() });
  const headers = { authorization: 'Bearer dialer', 'content-type': 'application/json' };
  const campaign = await (
    await mock.app.request('/v1/campaigns', { method: 'POST', headers, body: JSON.stringify({ name: 'Bench', agent_id: 'agt', from_phone_number: '+14155550100', max_concurrent_calls: 100, retry_config: { max_retries: 2, retry_interval_minutes: 5 } }) })
  ).json();
  const phones = Array.from({ length: 100_000 }, (_, i) => `+1415${String(i).padStart(7, '0')}`).join('\n');
  const form = new FormData();
  form.append('file', new Blob([`phone_number\n${phones}\n`]), 'leads.csv');
  let started = performance.now();
  await mock.app.request(`/v1/campaigns-leads/upload-file/${campaign.id}`, { method: 'POST', headers: { authorization: 'Bearer dialer' }, body: form });
  const uploadMs = performance.now() - started;
  started = performance.now();
  await mock.app.request('/__admin/clock/advance?key=dialer', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds: 30 * 86_400 }) });
  const runMs = performance.now() - started;
  const done = await (await mock.app.request(`/v1/campaigns/${campaign.id}`, { headers })).json();
  mock.close();
  if (done.status !== 'completed' || done.completed_calls !== 100_000) throw new Error(`campaign-mock: the 100,000-lead campaign did not complete: ${JSON.stringify(done)}`);
  return { leads: 100_000, concurrency: 100, uploadMs: round(uploadMs), runToCompletionMs: round(runMs), status: done.status };
}

/**
 * DialNexa's two big uploads, of 100,000 and of 500,000 rows (the most one file may hold): a
 * campaign's leads file and a batch call's recipients. Each one's time, and the longest the event
 * loop was blocked meanwhile (what every other request waits).
 */
async function uploadRows() {
  const { createMockApp } = await import(join(ROOT, 'lib/app.js'));
  const kinds = [
    {
      kind: 'leads upload',
      async path(mock) {
        const headers = { authorization: 'Bearer upload', 'content-type': 'application/json' };
        const body = JSON.stringify({ name: 'Upload', agent_id: 'agt', scheduled_at: '2099-01-01T00:00:00Z' });
        const campaign = await (await mock.app.request('/v1/campaigns', { method: 'POST', headers, body })).json();
        return { path: `/v1/campaigns-leads/upload-file/${campaign.id}`, fields: '' };
      },
    },
    {
      kind: 'batch call',
      async path() {
        const field = (name, value) => `--bench\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
        return { path: '/v1/batch-calls', fields: field('title', 'Upload') + field('agent_id', 'agent_abc123') };
      },
    },
  ];
  const out = [];
  for (const { kind, path } of kinds) {
    for (const rows of [100_000, 500_000]) {
      const mock = createMockApp({ speed: 0, logger: quiet() });
      const target = await path(mock);
      // The request's bytes, written beforehand: what is timed is the server's work alone.
      const csv = `phone_number\n${Array.from({ length: rows }, (_, i) => `+1${String(2000000000 + i)}`).join('\n')}\n`;
      const body = Buffer.from(`${target.fields}--bench\r\nContent-Disposition: form-data; name="file"; filename="leads.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--bench--\r\n`);
      // A 5 ms ticker: the longest gap between its ticks, less 5 ms, is the longest stall.
      let last = performance.now();
      let longest = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last - 5);
        last = now;
      }, 5);
      const started = performance.now();
      const res = await mock.app.request(target.path, {
        method: 'POST',
        headers: { authorization: 'Bearer upload', 'content-type': 'multipart/form-data; boundary=bench' },
        body,
      });
      const ms = performance.now() - started;
      // One more tick, so a stall at the very end is counted.
      await new Promise((resolve) => setTimeout(resolve, 20));
      clearInterval(ticker);
      mock.close();
      if (res.status !== 201) throw new Error(`campaign-mock: the ${rows}-row ${kind} answered ${res.status}: ${await res.text()}`);
      out.push({ kind, rows, ms: round(ms), longestStallMs: round(longest), msPer100kRows: round((ms / rows) * 100_000) });
    }
  }
  return out;
}

// ---- processes -------------------------------------------------------------------------------

/** The mock for measuring its own costs: silent, its clock stopped. */
async function startMock(extra, env) {
  return startServer('campaign-mock', [process.execPath, join(ROOT, 'dist/cli.js'), '--port', '{port}', '--log-level', 'silent', '--speed', '0', ...extra], '/__admin/health', env);
}

/** The mock as a user starts it (`npm start`): a log line per request, reply checks, journal, dialer on. */
async function startMockAsUsersDo() {
  return startServer('campaign-mock', [process.execPath, join(ROOT, 'dist/cli.js'), '--port', '{port}'], '/__admin/health');
}

async function startServer(name, command, readyPath, env = process.env) {
  const port = await freePort();
  const args = command.map((part) => part.replace('{port}', String(port)));
  const [file, ...rest] = canPin ? ['taskset', '-c', '0', ...args] : args;
  const started = performance.now();
  const child = spawn(file, rest, { stdio: ['ignore', 'ignore', 'pipe'], env });
  // Only the end of the server's log is kept, for an error message: the load generator shares
  // this process, and gathering a busy mock's log line per request would slow it.
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4096)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`campaign-mock: ${name} exited: ${stderr}`);
    try {
      // Any answer means the server is up: the mock answers its health route only once ready.
      await fetch(`${url}${readyPath}`);
      break;
    } catch {
      if (i > 3000) throw new Error(`campaign-mock: ${name} did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  const readyAfterMs = performance.now() - started;
  return {
    url,
    // taskset execs the server, so it keeps the child's pid.
    pid: child.pid,
    readyAfterMs,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function hasTaskset() {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// ---- figures ---------------------------------------------------------------------------------

function medianOf(runs) {
  return { rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function round(value, digits = 0) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function quiet() {
  return { debug() {}, info() {}, warn() {}, error() {} };
}

function log(line) {
  process.stdout.write(`${line}\n`);
}

function printTable(results) {
  log('\nDialNexa operations: campaign-mock, the bare Hono + better-sqlite3 ceiling (bench/ceiling.mjs) and prism mock');
  log('(medians of interleaved rounds; × prism and of ceiling are medians of per-round ratios)');
  log(`${'operation'.padEnd(20)} ${'mock req/s'.padStart(11)} ${'ceiling'.padStart(8)} ${'of ceiling'.padStart(11)} ${'prism req/s'.padStart(12)} ${'× prism'.padStart(8)} ${'mock p50/p99 ms'.padStart(16)} ${'prism p50/p99 ms'.padStart(17)} ${'p99 ÷'.padStart(6)}`);
  for (const row of results.versusPrism.operations) {
    log(
      `${row.operation.padEnd(20)} ${String(row.mock.rps).padStart(11)} ${String(row.ceiling.rps).padStart(8)} ${String(row.ofCeiling).padStart(11)} ${String(row.prism.rps).padStart(12)} ${String(row.throughputRatio).padStart(8)} ${`${row.mock.p50}/${row.mock.p99}`.padStart(16)} ${`${row.prism.p50}/${row.prism.p99}`.padStart(17)} ${String(row.p99Ratio).padStart(6)}`,
    );
  }
  log('per round (× prism; p99 ÷):');
  for (const row of results.versusPrism.operations) {
    if (row.perRound) log(`  ${row.operation.padEnd(20)} ${row.perRound.throughputRatio.join(' ')}; ${row.perRound.p99Ratio.join(' ')}`);
  }
  const { startup } = results;
  log(`\nstartup to a 200 on /__admin/health: median ${startup.toHealthyMs.median} ms (runs: ${startup.toHealthyMs.runs.join(', ')}); a bare Node HTTP server, started after each: ${startup.nodeFloorMs.median} ms (runs: ${startup.nodeFloorMs.runs.join(', ')}); the mock beyond it: ${startup.beyondNodeFloorMs} ms`);
  if (startup.withoutExtraCaCerts) {
    log(`  without NODE_EXTRA_CA_CERTS (${startup.withoutExtraCaCerts.note}): ${startup.withoutExtraCaCerts.toHealthyMs.median} ms; the bare server ${startup.withoutExtraCaCerts.nodeFloorMs.median} ms; the mock beyond it ${startup.withoutExtraCaCerts.beyondNodeFloorMs} ms`);
  }
  log(`mock RSS: ${results.versusPrism.mockIdleRssMb} MB started, idle; ${results.versusPrism.mockRssMb} MB after the runs above`);
  log(`reset: one sandbox ${results.reset.oneSandboxMs} ms, everything ${results.reset.everythingMs} ms (${results.reset.note})`);
  log(`reset at ${results.resetAtScale.keys} sandboxes: one ${results.resetAtScale.oneSandboxMs} ms, everything ${results.resetAtScale.everythingMs} ms (${results.resetAtScale.note})`);
  for (const row of results.scale) {
    log(`${String(row.campaigns).padStart(7)} campaigns: GET ${row.get.rps} req/s p50 ${row.get.p50} ms p99 ${row.get.p99} ms; list page ${row.listFirstPage.rps} req/s p50 ${row.listFirstPage.p50} ms p99 ${row.listFirstPage.p99} ms`);
  }
  for (const row of results.upload) log(`${row.kind}: ${row.rows} rows in ${row.ms} ms (${row.msPer100kRows} ms per 100k), event loop blocked at most ${row.longestStallMs} ms`);
  log(`dialer: ${results.dialer.leads} leads at ${results.dialer.concurrency} concurrent calls: upload ${results.dialer.uploadMs} ms, run to completion ${results.dialer.runToCompletionMs} ms`);
  log('\nwritten to bench/results.json');
}
