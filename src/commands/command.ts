export { VERSION } from '../version.js';

/** A mistake in the command line: exit code 2 and a pointer to --help. */
export class UsageError extends Error {}

/** A subcommand of the `campaign-mock` CLI. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  /**
   * Runs the command with its own arguments. Resolves with the exit code, or with `undefined`
   * for a command that keeps running (a server) until a signal stops it.
   */
  run(args: string[], env: NodeJS.ProcessEnv): Promise<number | undefined>;
}
