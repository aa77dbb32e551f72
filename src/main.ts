import { ConfigError } from './config/yaml-file.js';
import { UsageError, VERSION } from './commands/command.js';
import { COMMANDS } from './commands/index.js';

/**
 * The `campaign-mock` command line: picks the subcommand (`serve` when none is named) and turns
 * its failures into exit codes: 2 for a mistake in the arguments, 1 for anything else.
 */
async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v') return void process.stdout.write(`${VERSION}\n`);
  const named = COMMANDS.find((command) => command.name === first);
  const command = named ?? (COMMANDS[0] as (typeof COMMANDS)[number]);
  const args = named ? rest : argv;
  if (!named && first !== undefined && !first.startsWith('-')) {
    throw new UsageError(`unknown command "${first}"; the commands are ${COMMANDS.map((c) => c.name).join(', ')}`);
  }
  if (!named && (first === '--help' || first === '-h')) {
    const list = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n');
    return void process.stdout.write(`${command.help}\nCommands:\n${list}\n`);
  }
  const code = await command.run(args, process.env);
  if (code !== undefined) process.exitCode = code;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`campaign-mock: ${error.message}\nRun campaign-mock --help for the options.\n`);
    process.exit(2);
  }
  const message = error instanceof ConfigError || (error instanceof Error && error.message.startsWith('campaign-mock:')) ? error.message : String((error as Error).stack ?? error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
