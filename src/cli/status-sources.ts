import {
  DescribeBackupVaultCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListTagsCommand,
} from '@aws-sdk/client-backup';
import { DescribeStacksCommand, ListStackResourcesCommand, Stack } from '@aws-sdk/client-cloudformation';
import { STATEFUL } from './posture-model';
import { allPages, Caller, fatalError, StatusClients } from './status-aws';
import { kindOfBackupType, parseIsoDuration, rpoFromObjectivesOutput, RpoTarget, STACK_KINDS, StatusTarget } from './status-model';
import { TAG_KEYS } from '../private/tags';

/** Where `cdk-dr status` finds its resources and its RPO target: a deployed stack or a backup vault. */

export interface Discovered {
  readonly targets: StatusTarget[];
  /** The platform's RPO as the stack or vault states it; `none` when it states none. */
  readonly declaredTarget: RpoTarget;
  /** Remarks for stderr (a nested stack that could not be read). */
  readonly warnings: string[];
}

/** Nested stacks deeper than this are not followed (CloudFormation allows deep nesting; a cycle cannot occur). */
const MAX_NESTING = 5;

/** The stack's protected resources (nested stacks followed), and its RPO from the DR-RPO stack tag or the RecoveryObjectives output. */
export async function discoverStack(clients: StatusClients, call: Caller, stackName: string, region: string): Promise<Discovered> {
  let stack: Stack | undefined;
  try {
    stack = (await call(() => clients.cloudformation.send(new DescribeStacksCommand({ StackName: stackName })))).Stacks?.[0];
  } catch (error) {
    throw fatalError(error, 'cloudformation:DescribeStacks', (e) => (e.name === 'ValidationError' && /does not exist/.test(e.message ?? '')
      ? `stack ${JSON.stringify(stackName)} not found in ${region} (check --stack and --region)` : undefined));
  }
  if (!stack?.StackId) {
    throw fatalError(new Error('no stack in the response'), 'cloudformation:DescribeStacks', () => undefined);
  }
  const targets: StatusTarget[] = [];
  const warnings: string[] = [];
  const walk = async (name: string, stackArn: string, prefix: string, depth: number): Promise<void> => {
    const [, partition, , stackRegion, account] = stackArn.split(':');
    const summaries = await allPages(async (token) => {
      const out = await call(() => clients.cloudformation.send(new ListStackResourcesCommand({ StackName: name, NextToken: token })));
      return { items: out.StackResourceSummaries, next: out.NextToken };
    });
    for (const r of summaries) {
      const physical = r.PhysicalResourceId;
      if (!physical || !r.LogicalResourceId || r.ResourceStatus === 'DELETE_COMPLETE') continue;
      if (r.ResourceType === 'AWS::CloudFormation::Stack') {
        if (depth >= MAX_NESTING) {
          warnings.push(`nested stack ${prefix}${r.LogicalResourceId} not read: more than ${MAX_NESTING} levels deep`);
          continue;
        }
        try {
          await walk(physical, physical, `${prefix}${r.LogicalResourceId}/`, depth + 1);
        } catch (error) {
          throw fatalError(error, `cloudformation:ListStackResources (nested stack ${prefix}${r.LogicalResourceId})`, () => undefined);
        }
        continue;
      }
      const kind = STACK_KINDS[r.ResourceType ?? ''];
      const arn = STATEFUL[r.ResourceType ?? '']?.arn;
      if (!kind || !arn) continue;
      const where = arn.regional ? `${stackRegion}:${account}` : ':';
      targets.push({ name: `${prefix}${r.LogicalResourceId}`, kind, identifier: physical, arn: `arn:${partition}:${arn.service}:${where}:${arn.prefix}${physical}` });
    }
  };
  try {
    await walk(stackName, stack.StackId, '', 0);
  } catch (error) {
    if (error instanceof Error && error.name === 'CliError') throw error;
    throw fatalError(error, 'cloudformation:ListStackResources', () => undefined);
  }
  return { targets, declaredTarget: stackTarget(stack), warnings };
}

/**
 * The library tags every resource of a platform with DR-RPO (ISO 8601) and a
 * SingleRegionDrPlatform outputs `RecoveryObjectives`; a stack tag DR-RPO
 * (the user's own `Tags.of(stack)`) wins over the output. Several platforms
 * in one stack: the smallest RPO, the strictest.
 */
function stackTarget(stack: Stack): RpoTarget {
  const tag = stack.Tags?.find((t) => t.Key === TAG_KEYS.rpo)?.Value;
  const fromTag = tag === undefined ? undefined : parseIsoDuration(tag);
  if (fromTag !== undefined) {
    return { seconds: fromTag, source: `stack tag ${TAG_KEYS.rpo}=${tag}` };
  }
  const outputs = (stack.Outputs ?? [])
    .filter((o) => /RecoveryObjectives/.test(o.OutputKey ?? ''))
    .map((o) => ({ key: o.OutputKey!, seconds: rpoFromObjectivesOutput(o.OutputValue ?? '') }))
    .filter((o): o is { key: string; seconds: number } => o.seconds !== undefined)
    .sort((a, b) => a.seconds - b.seconds);
  if (outputs.length > 0) {
    return { seconds: outputs[0].seconds, source: `stack output ${outputs[0].key}${outputs.length > 1 ? ` (smallest of ${outputs.length})` : ''}` };
  }
  return { source: 'none' };
}

/** The resources with recovery points in the vault, and the RPO from the vault's DR-RPO tag. */
export async function discoverVault(clients: StatusClients, call: Caller, vaultName: string, region: string): Promise<Discovered> {
  let vaultArn: string | undefined;
  try {
    vaultArn = (await call(() => clients.backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vaultName })))).BackupVaultArn;
  } catch (error) {
    throw fatalError(error, 'backup:DescribeBackupVault', (e) => (e.name === 'ResourceNotFoundException'
      ? `backup vault ${JSON.stringify(vaultName)} not found in ${region} (check --vault and --region)` : undefined));
  }
  const warnings: string[] = [];
  let declaredTarget: RpoTarget = { source: 'none' };
  if (vaultArn) {
    try {
      const tags: Record<string, string> = {};
      await allPages(async (token) => {
        const out = await call(() => clients.backup.send(new ListTagsCommand({ ResourceArn: vaultArn, NextToken: token })));
        Object.assign(tags, out.Tags ?? {});
        return { next: out.NextToken };
      });
      const seconds = tags[TAG_KEYS.rpo] === undefined ? undefined : parseIsoDuration(tags[TAG_KEYS.rpo]);
      if (seconds !== undefined) declaredTarget = { seconds, source: `vault tag ${TAG_KEYS.rpo}=${tags[TAG_KEYS.rpo]}` };
    } catch (error) {
      warnings.push(`could not read the vault's tags, so no target from its ${TAG_KEYS.rpo} tag (${(error as Error).name}: ${(error as Error).message})`);
    }
  }
  const byArn = new Map<string, StatusTarget>();
  try {
    await allPages(async (token) => {
      const out = await call(() => clients.backup.send(new ListRecoveryPointsByBackupVaultCommand({
        BackupVaultName: vaultName, MaxResults: 1000, NextToken: token,
      })));
      for (const p of out.RecoveryPoints ?? []) {
        if (!p.ResourceArn || byArn.has(p.ResourceArn)) continue;
        byArn.set(p.ResourceArn, {
          name: p.ResourceName || resourceIdOf(p.ResourceArn),
          kind: kindOfBackupType(p.ResourceType),
          arn: p.ResourceArn,
          identifier: resourceIdOf(p.ResourceArn),
        });
      }
      return { next: out.NextToken };
    });
  } catch (error) {
    throw fatalError(error, 'backup:ListRecoveryPointsByBackupVault', () => undefined);
  }
  return { targets: [...byArn.values()].sort((a, b) => a.name.localeCompare(b.name)), declaredTarget, warnings };
}

/** The name or id in a resource ARN: `cluster:db1` -> db1, `table/t` -> t, `arn:aws:s3:::b` -> b. */
export function resourceIdOf(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.replace(/^(cluster|db|table|file-system|volume)[:/]/, '');
}
