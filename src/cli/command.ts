// The contract every CLI command follows. Commands live one per file in src/cli/commands and are
// listed in src/cli/commands/index.ts; main.ts only wires them into commander.
import type { Command } from 'commander';

/** Where a command writes: stdout for results, stderr for diagnostics and progress. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes shared by every command (other tools depend on them). */
export const ExitCode = { ok: 0, invalidInput: 1, usage: 2, internal: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Thrown for a bad command line: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

/** Thrown for bad input or missing data the user can fix: printed without a stack trace, exit code 1. */
export class InputError extends Error {}

/**
 * Registers one sub-command on the program. The action resolves to its exit code; throwing
 * UsageError or InputError gives a clean one-line message instead of a stack trace.
 */
export type CommandRegistration = (program: Command, io: CliIO) => void;
