// The command table: one registration per sub-command, in the order `--help` lists them.
// Add a command by writing src/cli/commands/<name>.ts and one line here.
import type { CommandRegistration } from '../command';
import { registerDemo } from './demo';
import { registerParseFormula } from './parseFormula';

export const commands: CommandRegistration[] = [
  registerDemo,
  registerParseFormula,
];
