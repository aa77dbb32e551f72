import { parseArgs } from 'node:util';
import { SPEC_CACHE_DIR, vendorSpecPath } from '../app.js';
import { VENDORS } from '../vendors/registry.js';
import { UsageError, type Command } from './command.js';

const HELP = `campaign-mock contract: run the contract suite of one vendor against any base URL — the
mock, or the live vendor when you have credentials — and report per operation of the bundled
spec: passed, failed (with the difference between what came back and what the spec allows), or
skipped (and why). Exits 1 when any operation fails.

Usage:
  campaign-mock contract --vendor <name> --base-url <url> --key <key> [options]

Options:
      --vendor <name>     ${VENDORS.map((v) => v.name).join(' | ')}
      --base-url <url>    the server (http://127.0.0.1:4010) or the vendor's base URL
                          (https://api.dialnexa.com/v1); the spec's paths are added to it
      --key <key>         the API key, sent as the vendor expects [CAMPAIGN_MOCK_CONTRACT_KEY]
      --write             also run the steps that create or change data: campaigns made
                          for the run (scheduled far ahead, or paused and cancelled at the
                          end), fictional 555-01xx numbers, a webhook to example.com.
                          Without it nothing is written: only reads and refused requests.
      --campaign-id <id>  a campaign to read (otherwise the first one a list shows, or the
                          one the run creates with --write)
      --set <name=value>  any other value the steps need; repeatable. DialNexa: lead.
                          Asisso: workflow (default 1). Sarvam: org, workspace (default
                          org-contract / ws-contract, which only the mock accepts), cohort.
      --timeout <s>       seconds one request may take [default 30]
      --json              print the report as JSON
      --verbose           list every step, not only the failed ones
      --help              show this help

Examples:
  campaign-mock contract --vendor sarvam --base-url http://127.0.0.1:4010 --key sk_test --write
  campaign-mock contract --vendor dialnexa --base-url https://api.dialnexa.com/v1 \\
      --key "$DIALNEXA_KEY" --campaign-id cmp_5tw8vz2rnx1q
  campaign-mock contract --vendor asisso --base-url https://app.asisso.com --key "$ASISSO_KEY" \\
      --write --set workflow=42 --json > asisso-contract.json
`;

async function contract(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      options: {
        vendor: { type: 'string' },
        'base-url': { type: 'string' },
        key: { type: 'string' },
        write: { type: 'boolean' },
        'campaign-id': { type: 'string' },
        set: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values: flags } = parsed;
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  // Loaded here, not at startup: `serve`, the default command, needs none of it.
  const [{ formatReport }, { runContract }, { loadSpec }] = await Promise.all([
    import('../contract/report.js'),
    import('../contract/runner.js'),
    import('../engine/spec/load.js'),
  ]);
  const vendor = VENDORS.find((v) => v.name === flags.vendor);
  if (!vendor) throw new UsageError(`contract needs --vendor, one of ${VENDORS.map((v) => v.name).join(', ')}${flags.vendor === undefined ? '' : `; got "${flags.vendor}"`}`);
  const plan = vendor.contractPlan;
  if (!plan) throw new Error(`campaign-mock: there is no contract plan for ${vendor.title}; add one to src/vendors/${vendor.name}/contract-plan.ts and name it in the vendor's module`);
  const baseUrl = flags['base-url'];
  if (!baseUrl || !/^https?:\/\/[^/]/.test(baseUrl)) throw new UsageError(`contract needs --base-url, an http:// or https:// URL${baseUrl === undefined ? '' : `; got "${baseUrl}"`}`);
  const key = flags.key ?? env.CAMPAIGN_MOCK_CONTRACT_KEY;
  if (!key) throw new UsageError('contract needs --key (or CAMPAIGN_MOCK_CONTRACT_KEY): the API key to send');
  const timeoutText = flags.timeout ?? '30';
  if (!/^\d+(\.\d+)?$/.test(timeoutText) || Number(timeoutText) <= 0) throw new UsageError(`--timeout must be a number of seconds above 0, got "${timeoutText}"`);
  const given: Record<string, string> = {};
  for (const pair of flags.set ?? []) {
    const match = /^([A-Za-z][\w-]*)=(.+)$/.exec(pair);
    if (!match) throw new UsageError(`--set takes name=value, got "${pair}"`);
    given[match[1] as string] = match[2] as string;
  }
  if (flags['campaign-id'] !== undefined) given.campaign = flags['campaign-id'];

  const spec = loadSpec(vendorSpecPath(vendor), SPEC_CACHE_DIR);
  const report = await runContract({ vendor, spec, plan, baseUrl, key, write: flags.write ?? false, values: given, timeoutMs: Number(timeoutText) * 1000 });
  process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, { verbose: flags.verbose ?? false }));
  return report.counts.failed > 0 ? 1 : 0;
}

/** `campaign-mock contract`: the contract suite against any base URL. */
export const contractCommand: Command = {
  name: 'contract',
  summary: 'run the contract suite of a vendor against a base URL (the mock, or the live API)',
  help: HELP,
  run: contract,
};
