import { Command, CommanderError, Option } from 'commander';
import { drillCommand } from './drill';
import { parseDurationOption } from './durations';
import { CliError, EXIT_OK, EXIT_TARGET_MISSED, EXIT_USAGE } from './errors';
import { formatPosture } from './format';
import { analysePosture } from './posture';
import { collectStatus, parseStatusFlags, REGION, StatusEnvironment, StatusFlags } from './status';
import { formatStatus } from './status-format';
import { switchCommand } from './switch';
import { loadTemplates } from './template';

/**
 * The `cdk-dr` command line (docs/cli.md). Bundled by esbuild into
 * assets/cli/cdk-dr/index.js, the package's `bin`.
 */

/** Where the command writes; the tests pass their own. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Terminal width for the table. */
  readonly columns?: number;
  /** Writes to stderr as is (progress); set only when stderr is a terminal. */
  readonly progress?: (text: string) => void;
  /** What `status` needs besides: the clock, retry settings. */
  readonly status?: Partial<StatusEnvironment>;
}

const processIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  progress: process.stderr.isTTY ? (t) => process.stderr.write(t) : undefined,
};

interface PostureFlags {
  readonly rpo?: string;
  readonly regionRpo?: string;
  readonly region?: string;
  readonly json?: boolean;
  readonly strict?: boolean;
}

function program(io: CliIo, setExit: (code: number) => void): Command {
  const root = new Command('cdk-dr')
    .description('Disaster-recovery posture of CloudFormation templates (offline), live recovery status of deployed resources, on-demand restore drills, and ARC Region switch runs and rehearsals. See docs/cli.md of cdk-dr-platform.')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t) })
    .exitOverride();

  root.command('posture')
    .description('Report the backup, replication and worst-case RPO (AZ loss, region loss, logical corruption) of every stateful resource in a template or cdk.out, and the gaps. Exit 0 ok, 1 a target is missed, 2 usage or read error.')
    .argument('<template>', 'a template file (.json, .yaml, .yml) or a cloud assembly folder (cdk.out)')
    .option('--rpo <duration>', 'in-region RPO target (AZ loss and logical corruption), e.g. 1h; exit 1 when a resource cannot meet it')
    .option('--region-rpo <duration>', 'region-loss RPO target, e.g. 15m; exit 1 when a resource cannot meet it')
    .option('--region <region>', 'the stacks\' region, when the template does not say (cdk.out environments do)')
    .option('--strict', 'count an unproven target (worst case unknown) as missed')
    .addOption(new Option('--json', 'print the report as JSON'))
    .exitOverride()
    .action((template: string, flags: PostureFlags) => {
      const rpoSeconds = flags.rpo !== undefined ? parseDurationOption('--rpo', flags.rpo) : undefined;
      const regionRpoSeconds = flags.regionRpo !== undefined ? parseDurationOption('--region-rpo', flags.regionRpo) : undefined;
      if (flags.region !== undefined && !REGION.test(flags.region)) {
        throw new CliError(`--region must be an AWS region such as us-east-1, got: ${JSON.stringify(flags.region)}`);
      }
      const report = analysePosture(loadTemplates(template, flags.region), { rpoSeconds, regionRpoSeconds });
      const failing = report.targets.filter((t) => t.verdict === 'missed' || (flags.strict && t.verdict === 'unproven'));
      const exitCode = failing.length > 0 ? EXIT_TARGET_MISSED : EXIT_OK;
      if (flags.json) {
        io.out(JSON.stringify({ ...report, exitCode }, (_k, v) => (typeof v === 'number' && Number.isNaN(v) ? null : v), 2));
      } else {
        io.out(formatPosture(report, io.columns ?? 160));
      }
      setExit(exitCode);
    });
  root.command('status')
    .description('Live recovery status of a deployed stack\'s or a backup vault\'s resources: newest recovery point, latest restorable time, effective RPO, '
      + 'last backup, copy and restore jobs. Exit 0 ok, 1 a target breached or a last backup/copy job failed, 2 usage, access or read error.')
    .option('--stack <name>', 'a deployed CloudFormation stack (name or ARN): its RDS, Aurora, DynamoDB, S3, EFS and EBS resources, nested stacks included')
    .option('--vault <name>', 'an AWS Backup vault: every resource with a recovery point in it')
    .option('--region <region>', 'the region (default: the AWS SDK\'s, from AWS_REGION or the profile)')
    .option('--rpo <duration>', 'RPO target, e.g. 1h (default: the stack\'s or vault\'s DR-RPO tag, or the platform\'s RecoveryObjectives output)')
    .option('--concurrency <n>', 'AWS API calls in flight at most (1 to 64, default 8)')
    .addOption(new Option('--json', 'print the report as JSON'))
    .exitOverride()
    .action(async (flags: StatusFlags & { json?: boolean }) => {
      const options = parseStatusFlags(flags);
      const { report } = await collectStatus(options, {
        now: Date.now,
        warn: (t) => io.err(`cdk-dr: warning: ${t}`),
        ...io.status,
        // Progress only on a terminal, and never in JSON mode.
        progress: flags.json ? undefined : io.progress,
      });
      io.out(flags.json ? JSON.stringify(report, undefined, 2) : formatStatus(report, io.columns ?? 160));
      setExit(report.exitCode);
    });
  root.addCommand(drillCommand(io, setExit));
  root.addCommand(switchCommand(io, setExit));
  return root;
}

/** Runs the command line; resolves to the exit code. */
export async function run(argv: string[], io: CliIo = processIo): Promise<number> {
  let exitCode = EXIT_OK;
  const debug = argv.includes('--debug');
  try {
    await program(io, (c) => { exitCode = c; }).parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are not errors; commander has printed the message of the others.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (e instanceof CliError) {
      io.err(`cdk-dr: ${e.message}`);
      if (debug) {
        io.err(e.stack ?? '');
      }
      return e.exitCode;
    }
    io.err(`cdk-dr: unexpected error: ${(e as Error).message ?? String(e)}${debug ? '' : ' (run with --debug for the stack trace)'}`);
    if (debug) {
      io.err((e as Error).stack ?? '');
    }
    return EXIT_USAGE;
  }
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
