/** The exit codes of `cdk-dr` (docs/cli.md). */
export const EXIT_OK = 0;
/** A target (`--rpo`, `--region-rpo`) is missed. */
export const EXIT_TARGET_MISSED = 1;
/** Bad arguments, or a file or service that cannot be read. */
export const EXIT_USAGE = 2;

/** An error the user can act on: printed as one line, without a stack trace (unless --debug). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE) {
    super(message);
    this.name = 'CliError';
  }
}
