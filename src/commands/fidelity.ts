import { parseArgs } from 'node:util';
import { SPECS_DIR, vendorSpecPath } from '../app.js';
import { VENDORS } from '../vendors/registry.js';
import { UsageError, type Command } from './command.js';

const HELP = `campaign-mock fidelity: how far to trust each answer of the mock. For every vendor, lists
which operations and responses follow the vendor's documentation and which are the mock's best
guess, from the specs' x-mock-inferred marks, with the line each mark sits on in specs/.

  documented       nothing the operation answers is inferred
  partly inferred  some responses, fields or credentials are inferred (listed under it)
  inferred         no vendor page or published file documents the operation

For each operation it names its source (the vendor page or file, from the spec's externalDocs),
and for each status whether the vendor documents it; a documented status can still carry
inferred details (a message's wording, a bound), listed under it.

With --vendor-pages it lists instead the vendor pages each spec was checked against line by line
(specs/pages/<vendor>.yaml): every field, example, error and rule of each page, what the page
says, what the mock does with it, and where that is implemented. Each of them is a test in
test/vendor-pages/.

Usage:
  campaign-mock fidelity [--vendor <name>] [--vendor-pages] [--json] [--verbose]

Options:
      --vendor <name>  only this vendor: ${VENDORS.map((v) => v.name).join(' | ')}
      --vendor-pages   list the vendor pages, fact by fact, instead of the operations
      --json           print the report as JSON, for machines
      --verbose        print each mark's reason (or each fact) whole, not cut to a line
      --help           show this help

Examples:
  campaign-mock fidelity
  campaign-mock fidelity --vendor asisso --verbose
  campaign-mock fidelity --vendor-pages --vendor dialnexa
  campaign-mock fidelity --json | jq '.[].operations[] | select(.fidelity == "documented") | .operationId'
`;

async function fidelity(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      options: { vendor: { type: 'string' }, 'vendor-pages': { type: 'boolean' }, json: { type: 'boolean' }, verbose: { type: 'boolean' }, help: { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values: flags } = parsed;
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const vendors = flags.vendor === undefined ? VENDORS : VENDORS.filter((v) => v.name === flags.vendor);
  if (vendors.length === 0) throw new UsageError(`--vendor must be one of ${VENDORS.map((v) => v.name).join(', ')}, got "${flags.vendor}"`);
  // Loaded here, not at startup: `serve`, the default command, needs none of it.
  const [{ formatFidelity, specFidelity }, { formatVendorPages, readVendorPages }] = await Promise.all([import('../contract/fidelity.js'), import('../contract/vendor-pages.js')]);
  if (flags['vendor-pages']) {
    const files = vendors.map((vendor) => ({ title: vendor.title, pages: readVendorPages(`${SPECS_DIR}pages/${vendor.name}.yaml`) }));
    process.stdout.write(flags.json ? `${JSON.stringify(files.map(({ pages }) => pages), null, 2)}\n` : formatVendorPages(files, { verbose: flags.verbose ?? false }));
    return 0;
  }
  const reports = vendors.map((vendor) => ({ vendor: vendor.name, title: vendor.title, fidelity: specFidelity(vendorSpecPath(vendor)) }));
  if (flags.json) {
    const json = reports.map(({ vendor, title, fidelity: f }) => ({ ...f, vendor, title }));
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    process.stdout.write(formatFidelity(reports, { verbose: flags.verbose ?? false }));
  }
  return 0;
}

/** `campaign-mock fidelity`: which answers are documented by the vendor, and which inferred. */
export const fidelityCommand: Command = {
  name: 'fidelity',
  summary: 'list which operations and behaviours are documented and which inferred',
  help: HELP,
  run: fidelity,
};
