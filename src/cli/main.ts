// Entry of the `crystal-gan` command line. Thin: builds the commander program from the command
// table and maps errors to the exit codes in command.ts (0 ok, 1 invalid input, 2 usage, 3 bug).
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index';
import { ExitCode, InputError, UsageError, type CliIO } from './command';

const io: CliIO = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

export function buildProgram(cliIO: CliIO = io): Command {
  const program = new Command('crystal-gan')
    .description('Composition and crystal-structure GANs for materials: train, featurize, predict, generate, evaluate.')
    .version(process.env.CRYSTAL_GAN_VERSION ?? '0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run crystal-gan --help for usage)');
  for (const register of commands) register(program, cliIO);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

export async function runCli(argv: string[], cliIO: CliIO = io): Promise<number> {
  const program = buildProgram(cliIO);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    return exitCodeFor(error, cliIO);
  }
}

function exitCodeFor(error: unknown, cliIO: CliIO): number {
  if (error instanceof CommanderError) {
    // help and version exit 0; everything commander rejects is a usage error.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof UsageError) {
    cliIO.err(`crystal-gan: ${error.message}`);
    return ExitCode.usage;
  }
  if (error instanceof InputError) {
    cliIO.err(`crystal-gan: ${error.message}`);
    return ExitCode.invalidInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  cliIO.err(`crystal-gan: internal error: ${message}`);
  if (process.env.CRYSTAL_GAN_DEBUG && error instanceof Error) cliIO.err(error.stack ?? '');
  return ExitCode.internal;
}

/** Runs the CLI on this process's arguments and sets the exit code (bin/crystal-gan.js calls it). */
export function main(): void {
  // `crystal-gan … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) main();
