import { parseArgs } from 'node:util';
import { createLogger, isLogFormat, isLogLevel, LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../logger.js';
import { startServer } from '../server.js';
import { UsageError, VERSION, type Command } from './command.js';

const HELP = `campaign-mock ${VERSION}: a local, stateful mock of the DialNexa, Asisso and Sarvam
outbound campaign APIs, with a sandbox per API key.

Usage:
  campaign-mock [serve] [options]
  campaign-mock <command> --help
  campaign-mock --version

Options (each also read from the environment variable shown):
  -p, --port <n>        port to listen on; 0 picks a free one
                        [PORT or CAMPAIGN_MOCK_PORT; default 4010]
      --host <addr>     address to listen on; 0.0.0.0 for every interface
                        [CAMPAIGN_MOCK_HOST; default 127.0.0.1]
      --db <path>       SQLite file that keeps state across restarts
                        [CAMPAIGN_MOCK_DB; default: in memory, gone on exit]
      --keys <file>     accept only the keys this YAML file lists, each with its
                        permissions; any other key gets the vendor's 401
                        [CAMPAIGN_MOCK_KEYS; default: every non-empty key, all permissions]
      --scenario <name> the scenario every new sandbox starts with (see GET /__admin/scenarios)
                        [CAMPAIGN_MOCK_SCENARIO; default none]
      --scenarios <dir> also read scenario files (*.yaml) from this folder; repeatable
                        [CAMPAIGN_MOCK_SCENARIOS, folders separated by ':']
      --fixtures <dir>  also read fixtures (<vendor>/<name>.yaml) from this folder; repeatable
                        [CAMPAIGN_MOCK_FIXTURES, folders separated by ':']
      --speed <factor>  sandbox clocks run at this many times real time; 60 makes a
                        minute pass each second; 0 stops them, so time moves only with
                        POST /__admin/clock/advance [CAMPAIGN_MOCK_SPEED; default 1]
      --webhook-allow <host>  also let webhooks go to this host (or host:port; * for any);
                        loopback is always allowed; repeatable
                        [CAMPAIGN_MOCK_WEBHOOK_ALLOW, hosts separated by ',']
      --journal-limit <n>  requests kept in the journal, oldest dropped first
                        [CAMPAIGN_MOCK_JOURNAL_LIMIT; default 10000]
      --log-level <l>   ${LOG_LEVELS.join(' | ')}; info logs one line per request
                        [CAMPAIGN_MOCK_LOG_LEVEL; default info]
      --log-format <f>  text (a line for a person) or json (one object per line, for a
                        log collector) [CAMPAIGN_MOCK_LOG_FORMAT; default text]
      --admin-token <t> require this token on /__admin (but /__admin/health), sent as
                        "Authorization: Bearer <t>" or "X-Admin-Token: <t>"; set it whenever
                        the mock listens beyond loopback [CAMPAIGN_MOCK_ADMIN_TOKEN]
      --allow-host <name>  also answer /__admin under this host name (loopback, IP
                        addresses and single-label names such as a Docker service always
                        work); repeatable [CAMPAIGN_MOCK_ALLOWED_HOSTS, names separated by ',']
      --shutdown-grace <s>  on SIGTERM or SIGINT, let requests in flight finish for up to
                        this many seconds, then cut their connections and exit
                        [CAMPAIGN_MOCK_SHUTDOWN_GRACE; default 5]
      --strict          answer a reply that breaks its spec with a 500 instead of
                        only logging it (for CI) [CAMPAIGN_MOCK_STRICT=1]
      --help            show this help
      --version         print the version

Examples:
  campaign-mock
  campaign-mock --port 8080 --db ./mock.sqlite
  curl -s localhost:4010/__admin/health
  curl -s -X POST localhost:4010/v1/campaigns -H 'Authorization: Bearer dnx_test_a' \\
       -H 'Content-Type: application/json' \\
       -d '{"name":"Spring","agent_id":"agt_1","from_phone_number":"+14155550100"}'

A keys file looks like:
  keys:
    - key: dnx_test_full
    - key: dnx_test_readonly
      read_only: true
    - key: dnx_test_cannot_read
      deny: [campaigns:read]
    - key: dnx_test_starter
      dialnexa: { concurrency_limit: 5 }

Control plane (KEY is the API key that names a sandbox):
  GET    /__admin/health                 200 {"status":"ok"} once every route is served
  POST   /__admin/reset[?key=KEY]        wipe every sandbox, or one
  GET    /__admin/clock?key=KEY          {"now": ISO} on that sandbox's clock
  POST   /__admin/clock/advance?key=KEY  {"seconds": N}: move that clock forward
  GET    /__admin/scenarios              the scenarios, with descriptions
  PUT    /__admin/scenario?key=KEY       {"name": "..."}: make a scenario sticky; DELETE clears it
  GET    /__admin/fixtures               the fixtures; POST ?key=KEY {"name": "..."} loads one
  GET    /__admin/requests?key=KEY       the request journal (also ?operation=, ?since=, ?until=)
  GET    /__admin/violations             requests that broke a vendor's contract
  GET    /__admin/webhooks?key=KEY       the webhooks a sandbox sent, and how each went
  GET    /__admin/sandboxes              the sandboxes: key, vendors, request count, last activity
  GET    /__admin/campaigns?key=KEY      a sandbox's campaigns; /campaigns/VENDOR/ID one, with leads
  GET    /__admin/timeline?key=KEY       DialNexa's calls per interval of that sandbox's clock
  GET    /__admin/ui[?key=KEY]           the inspector page; /__admin/docs the API reference
  GET    /__admin/specs/admin.json       this control plane's OpenAPI document
Per request: X-Mock-Scenario: <name>, or Prefer: code=409 / Prefer: example=<name>.
`;

interface ServeSettings {
  port: number;
  host: string;
  db?: string;
  keys?: string;
  scenario?: string;
  scenarioDirs: string[];
  fixtureDirs: string[];
  speed: number;
  journalLimit: number;
  webhookAllow: string[];
  logLevel: LogLevel;
  logFormat: LogFormat;
  strict: boolean;
  shutdownGraceMs: number;
  adminToken?: string;
  allowedHosts: string[];
}

function readSettings(argv: string[], env: NodeJS.ProcessEnv): ServeSettings | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        db: { type: 'string' },
        keys: { type: 'string' },
        scenario: { type: 'string' },
        scenarios: { type: 'string', multiple: true },
        fixtures: { type: 'string', multiple: true },
        speed: { type: 'string' },
        'journal-limit': { type: 'string' },
        'webhook-allow': { type: 'string', multiple: true },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
        strict: { type: 'boolean' },
        'shutdown-grace': { type: 'string' },
        'admin-token': { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);

  const portText = values.port ?? env.CAMPAIGN_MOCK_PORT ?? env.PORT ?? '4010';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${portText}"`);
  const logLevel = values['log-level'] ?? env.CAMPAIGN_MOCK_LOG_LEVEL ?? 'info';
  if (!isLogLevel(logLevel)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const logFormat = values['log-format'] ?? env.CAMPAIGN_MOCK_LOG_FORMAT ?? 'text';
  if (!isLogFormat(logFormat)) throw new UsageError(`--log-format must be one of ${LOG_FORMATS.join(', ')}, got "${logFormat}"`);
  const speedText = values.speed ?? env.CAMPAIGN_MOCK_SPEED ?? '1';
  const speed = Number(speedText);
  if (!/^\d+(\.\d+)?$/.test(speedText) || speed > 100_000) throw new UsageError(`--speed must be a number from 0 to 100000, got "${speedText}"`);
  const limitText = values['journal-limit'] ?? env.CAMPAIGN_MOCK_JOURNAL_LIMIT ?? '10000';
  if (!/^[1-9]\d*$/.test(limitText)) throw new UsageError(`--journal-limit must be a positive whole number, got "${limitText}"`);
  const graceText = values['shutdown-grace'] ?? env.CAMPAIGN_MOCK_SHUTDOWN_GRACE ?? '5';
  const grace = Number(graceText);
  if (!/^\d+(\.\d+)?$/.test(graceText) || grace > 3600) throw new UsageError(`--shutdown-grace must be a number of seconds from 0 to 3600, got "${graceText}"`);
  const adminToken = values['admin-token'] ?? env.CAMPAIGN_MOCK_ADMIN_TOKEN;
  if (adminToken !== undefined && adminToken.length < 8) throw new UsageError('--admin-token must be at least 8 characters long');
  const db = values.db ?? env.CAMPAIGN_MOCK_DB;
  const keys = values.keys ?? env.CAMPAIGN_MOCK_KEYS;
  const scenario = values.scenario ?? env.CAMPAIGN_MOCK_SCENARIO;
  const folders = (flag: string[] | undefined, variable: string | undefined) => flag ?? (variable ? variable.split(':').filter(Boolean) : []);
  return {
    port,
    host: values.host ?? env.CAMPAIGN_MOCK_HOST ?? '127.0.0.1',
    ...(db ? { db } : {}),
    ...(keys ? { keys } : {}),
    ...(scenario ? { scenario } : {}),
    scenarioDirs: folders(values.scenarios, env.CAMPAIGN_MOCK_SCENARIOS),
    fixtureDirs: folders(values.fixtures, env.CAMPAIGN_MOCK_FIXTURES),
    speed,
    journalLimit: Number(limitText),
    webhookAllow: values['webhook-allow'] ?? (env.CAMPAIGN_MOCK_WEBHOOK_ALLOW ? env.CAMPAIGN_MOCK_WEBHOOK_ALLOW.split(',').map((h) => h.trim()).filter(Boolean) : []),
    logLevel,
    logFormat,
    strict: values.strict ?? ['1', 'true'].includes(env.CAMPAIGN_MOCK_STRICT ?? ''),
    shutdownGraceMs: Math.round(grace * 1000),
    ...(adminToken ? { adminToken } : {}),
    allowedHosts: values['allow-host'] ?? (env.CAMPAIGN_MOCK_ALLOWED_HOSTS ? env.CAMPAIGN_MOCK_ALLOWED_HOSTS.split(',').map((h) => h.trim()).filter(Boolean) : []),
  };
}

async function serve(args: string[], env: NodeJS.ProcessEnv): Promise<number | undefined> {
  const settings = readSettings(args, env);
  if (settings === 'help') {
    process.stdout.write(HELP);
    return 0;
  }

  const logger = createLogger(settings.logLevel, settings.logFormat);
  const server = await startServer({
    port: settings.port,
    host: settings.host,
    ...(settings.db ? { db: settings.db } : {}),
    ...(settings.keys ? { keysFile: settings.keys } : {}),
    ...(settings.scenario ? { scenario: settings.scenario } : {}),
    scenarioDirs: settings.scenarioDirs,
    fixtureDirs: settings.fixtureDirs,
    speed: settings.speed,
    journalLimit: settings.journalLimit,
    webhookAllow: settings.webhookAllow,
    strict: settings.strict,
    shutdownGraceMs: settings.shutdownGraceMs,
    ...(settings.adminToken ? { adminToken: settings.adminToken } : {}),
    allowedHosts: settings.allowedHosts,
    logger,
  });
  const everywhere = !isLoopbackHost(settings.host);
  const bound = everywhere ? ` (bound to ${server.boundAddress}, every address of this machine that can reach it)` : '';
  const lines = [
    `campaign-mock ${VERSION} listening on ${server.url}${bound} (${settings.db ? `database ${settings.db}` : 'in-memory database'})`,
    ...server.mock.vendors.map((v) => `  ${v.title.padEnd(10)} ${server.url}${v.basePath}`),
    `  ${'admin'.padEnd(10)} ${server.url}/__admin`,
    `  ${'inspector'.padEnd(10)} ${server.url}/__admin/ui`,
  ];
  if (settings.logLevel !== 'silent') {
    const started =
      settings.logFormat === 'json'
        ? JSON.stringify({
            time: new Date().toISOString(),
            level: 'info',
            msg: `campaign-mock ${VERSION} listening on ${server.url}`,
            url: server.url,
            database: settings.db ?? null,
            baseUrls: Object.fromEntries(server.mock.vendors.map((v) => [v.name, `${server.url}${v.basePath}`])),
          })
        : lines.join('\n');
    process.stdout.write(`${started}\n`);
  }

  if (everywhere && !settings.adminToken) {
    process.stderr.write(
      `campaign-mock: WARNING: listening on ${server.boundAddress} without an admin token: anyone who can reach this port can read every sandbox and reset them all through /__admin. Set --admin-token (or CAMPAIGN_MOCK_ADMIN_TOKEN).\n`,
    );
  }

  const stop = (signal: string) => {
    logger.info(`${signal}: finishing requests in flight (for up to ${settings.shutdownGraceMs / 1000} s), then closing the database`);
    server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return undefined;
}


/** `campaign-mock serve`: the mock itself, and the default command. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the vendor APIs and the control plane (the default command)',
  help: HELP,
  run: serve,
};

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1' || host === '[::1]';
}
