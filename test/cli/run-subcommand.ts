import { Command, CommanderError } from 'commander';
import { CliError, EXIT_USAGE } from '../../src/cli/errors';

/** Where a subcommand under test writes. */
export interface Captured {
  readonly out: string[];
  readonly err: string[];
}

/**
 * Runs one subcommand as cdk-dr.ts's run() does (a CliError is one line on
 * stderr and its exit code; a commander error is a usage error), with the
 * test's io: what it writes goes into `captured`.
 */
export async function runSubcommand(
  make: (io: { out: (s: string) => void; err: (s: string) => void }, setExit: (code: number) => void) => Command,
  args: string[],
  captured: Captured,
): Promise<number> {
  let code = 0;
  const io = { out: (s: string) => { captured.out.push(s); }, err: (s: string) => { captured.err.push(s); } };
  const root = new Command('cdk-dr').option('--debug').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  const sub = make(io, (c) => { code = c; });
  root.addCommand(sub);
  try {
    await root.parseAsync([sub.name(), ...args], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`cdk-dr: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof CommanderError) return EXIT_USAGE;
    throw e;
  }
}
