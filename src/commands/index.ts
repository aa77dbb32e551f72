import type { Command } from './command.js';
import { contractCommand } from './contract.js';
import { fidelityCommand } from './fidelity.js';
import { serveCommand } from './serve.js';

/** Every subcommand of the CLI; the first is the default. */
export const COMMANDS: readonly Command[] = [serveCommand, contractCommand, fidelityCommand];
