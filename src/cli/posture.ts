import { Duration } from 'aws-cdk-lib';
import {
  DEFAULT_COMPLETION_WINDOW_MINUTES, DEFAULT_START_WINDOW_MINUTES, Gap, MIN_RETENTION_DAYS, PostureOptions, PostureReport, ResourcePosture, Rpo,
  RuleCoverage, STATEFUL, StatefulKind, TargetCheck,
} from './posture-model';
import { parseSchedule } from './schedule';
import { literal, minutes, refsOf, regionOfArn, render, selects } from './selection';
import { CfnResource, LoadedTemplate } from './template';
import { AURORA_PITR_LAG, coverageOf, DYNAMODB_PITR_LAG } from '../hourly-backup/coverage';
import { regionLossOf } from '../hourly-backup/region-loss';
import { replicatedBucketLine, replicatedStoreLine, S3_RTC_BOUND } from '../multi-region-dr-platform/region-loss';
import { ProtectedResourceType } from '../stores/protected-resource';

/**
 * The offline DR posture of CloudFormation templates: which stateful
 * resources there are, what backs each up or replicates it, and the
 * worst-case data loss of each for an AZ loss, a region loss and a logical
 * corruption. The arithmetic is the library's own (coverageOf, regionLossOf,
 * the replication lines); this module only reads templates into its inputs.
 */

interface RuleFacts extends Omit<RuleCoverage, 'selection' | 'how' | 'detail' | 'certain'> {
  readonly isRate: boolean;
  readonly unknownReason?: string;
  readonly timezone?: string;
}

function rulesOf(stack: LoadedTemplate, planId: string, plan: CfnResource): RuleFacts[] {
  const body = plan.Properties?.BackupPlan ?? {};
  const rules: any[] = Array.isArray(body.BackupPlanRule) ? body.BackupPlanRule : [];
  return rules.map((rule, i) => {
    const schedule = literal(rule.ScheduleExpression);
    const facts = schedule ? parseSchedule(schedule) : undefined;
    const timezone = literal(rule.ScheduleExpressionTimezone);
    // A zone with daylight saving lengthens one gap a year by an hour: counted in the worst case.
    const dst = timezone && !/^(Etc\/)?UTC$/i.test(timezone) ? 3600 : 0;
    const vaultRefs = [...refsOf(rule.TargetBackupVault)];
    const copies: any[] = Array.isArray(rule.CopyActions) ? rule.CopyActions : [];
    const retention = rule.Lifecycle?.DeleteAfterDays;
    return {
      plan: literal(body.BackupPlanName) ?? planId,
      rule: literal(rule.RuleName) ?? `rule ${i + 1}`,
      schedule: schedule ?? (rule.ScheduleExpression === undefined ? 'on demand (no schedule)' : 'not literal'),
      intervalSeconds: facts?.intervalSeconds !== undefined ? facts.intervalSeconds + dst : undefined,
      unknownReason: facts?.unknownReason ?? (schedule ? undefined : 'the rule has no literal ScheduleExpression'),
      isRate: facts?.isRate ?? false,
      timezone,
      startWindowSeconds: minutes(rule.StartWindowMinutes, DEFAULT_START_WINDOW_MINUTES) * 60,
      completionWindowSeconds: minutes(rule.CompletionWindowMinutes, DEFAULT_COMPLETION_WINDOW_MINUTES) * 60,
      retentionDays: retention === undefined ? undefined : minutes(retention, NaN),
      continuousBackup: rule.EnableContinuousBackup === true || rule.EnableContinuousBackup === 'true',
      vault: vaultRefs[0] ?? render(rule.TargetBackupVault, stack.region),
      copyRegions: copies.map((c) => regionOfArn(c?.DestinationBackupVaultArn, stack.region)),
    };
  });
}

function describe(seconds: number): string {
  return Duration.seconds(seconds).toHumanString();
}

/** The resource's own encryption at rest, in words. */
function encryptionOf(type: string, p: Record<string, any>): string {
  const key = (k: unknown) => (k === undefined ? undefined : refsOf(k).size ? `key ${[...refsOf(k)][0]}` : `key ${render(k) ?? '?'}`);
  switch (type) {
    case 'AWS::RDS::DBCluster':
    case 'AWS::RDS::DBInstance':
      if (p.StorageEncrypted === true || p.StorageEncrypted === 'true') {
        return p.KmsKeyId ? `customer managed ${key(p.KmsKeyId)}` : 'AWS managed key (aws/rds)';
      }
      return p.StorageEncrypted === undefined && p.SourceDBClusterIdentifier === undefined && p.SnapshotIdentifier === undefined ? 'not encrypted' : p.StorageEncrypted === false ? 'not encrypted' : 'unknown';
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable': {
      const sse = p.SSESpecification ?? {};
      if (sse.SSEEnabled === true || sse.SSEEnabled === 'true') {
        const replicaKey = type === 'AWS::DynamoDB::GlobalTable' ? (p.Replicas ?? [])[0]?.SSESpecification?.KMSMasterKeyId : sse.KMSMasterKeyId;
        return replicaKey ? `customer managed ${key(replicaKey)}` : 'AWS managed key (aws/dynamodb)';
      }
      return 'AWS owned key (DynamoDB default)';
    }
    case 'AWS::S3::Bucket': {
      const rule = p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault;
      if (!rule) {
        return 'SSE-S3 (S3 default)';
      }
      return String(rule.SSEAlgorithm).startsWith('aws:kms') ? (rule.KMSMasterKeyID ? `SSE-KMS ${key(rule.KMSMasterKeyID)}` : 'SSE-KMS (aws/s3)') : 'SSE-S3';
    }
    case 'AWS::EFS::FileSystem':
    case 'AWS::EC2::Volume':
      if (p.Encrypted === true || p.Encrypted === 'true') {
        return p.KmsKeyId ? `customer managed ${key(p.KmsKeyId)}` : 'AWS managed key';
      }
      return p.Encrypted === undefined ? 'not encrypted (unless the account encrypts by default)' : 'not encrypted';
    default:
      return 'n/a';
  }
}

function deletionProtectionOf(type: string, p: Record<string, any>): boolean | undefined {
  const on = (v: unknown) => v === true || v === 'true';
  switch (type) {
    case 'AWS::RDS::DBCluster':
    case 'AWS::RDS::DBInstance':
      return on(p.DeletionProtection);
    case 'AWS::DynamoDB::Table':
      return on(p.DeletionProtectionEnabled);
    case 'AWS::DynamoDB::GlobalTable':
      return Array.isArray(p.Replicas) && p.Replicas.length > 0 && p.Replicas.every((r: any) => on(r?.DeletionProtectionEnabled));
    default:
      return undefined;
  }
}

/**
 * CloudFormation's default DeletionPolicy is Delete, except Snapshot for
 * DBClusters and for DBInstances outside a cluster
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html).
 */
function deletionPolicyOf(type: string, r: CfnResource): string {
  const given = literal(r.DeletionPolicy);
  if (given) {
    return given;
  }
  return type === 'AWS::RDS::DBCluster' || (type === 'AWS::RDS::DBInstance' && r.Properties?.DBClusterIdentifier === undefined) ? 'Snapshot (default)' : 'Delete (default)';
}

function isVersioned(p: Record<string, any>): boolean | undefined {
  const status = p.VersioningConfiguration?.Status;
  return status === undefined ? false : status === 'Enabled' ? true : status === 'Suspended' ? false : undefined;
}

const best = (rpos: Rpo[]): Rpo | undefined => {
  const known = rpos.filter((r) => r.seconds !== undefined).sort((a, b) => a.seconds! - b.seconds!);
  return known[0];
};

/** Analyses the templates. */
export function analysePosture(stacks: LoadedTemplate[], options: PostureOptions = {}): PostureReport {
  const resources: ResourcePosture[] = [];
  const gaps: Gap[] = [];
  const plansOf = new Map(stacks.map((stack) => [stack, new Map(Object.entries(stack.template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Backup::BackupPlan').map(([id, r]) => [id, rulesOf(stack, id, r)]))]));
  for (const stack of stacks) {
    const all = Object.entries(stack.template.Resources);
    const plans = plansOf.get(stack)!;
    const vaults = new Map(all.filter(([, r]) => r.Type === 'AWS::Backup::BackupVault'));
    const selections = all.filter(([, r]) => r.Type === 'AWS::Backup::BackupSelection');
    // Selections are regional: another stack of this region may select a resource here by ARN or tags.
    const foreign = stacks.filter((other) => other !== stack && other.region !== undefined && other.region === stack.region)
      .flatMap((other) => Object.entries(other.template.Resources).filter(([, r]) => r.Type === 'AWS::Backup::BackupSelection')
        .map(([id, sel]) => ({ id: `${other.stackName}/${id}`, sel, plans: plansOf.get(other)! })));
    const usedVaults = new Set<string>();

    for (const [planId, rules] of plans) {
      for (const rule of rules) {
        if (rule.isRate) {
          gaps.push({ code: 'RATE_SCHEDULE', stack: stack.stackName, subject: `${planId} ${rule.rule}`, message: `rule ${rule.rule} of ${planId} uses ${rule.schedule}: AWS Backup rules take cron() expressions` });
        } else if (rule.unknownReason) {
          gaps.push({ code: 'SCHEDULE_UNREADABLE', stack: stack.stackName, subject: `${planId} ${rule.rule}`, message: `rule ${rule.rule} of ${planId}: ${rule.unknownReason}; its RPO is unknown` });
        }
        const limit = options.rpoSeconds ?? rule.intervalSeconds;
        if (limit !== undefined && rule.startWindowSeconds > limit) {
          const against = options.rpoSeconds !== undefined ? `the RPO target ${describe(options.rpoSeconds)}` : `its own interval ${describe(limit)}`;
          gaps.push({ code: 'START_WINDOW', stack: stack.stackName, subject: `${planId} ${rule.rule}`, message: `rule ${rule.rule} of ${planId} may start a job ${describe(rule.startWindowSeconds)} late, longer than ${against} (StartWindowMinutes; 60 is the least AWS Backup takes)` });
        }
        if (rule.retentionDays !== undefined && (Number.isNaN(rule.retentionDays) || rule.retentionDays < MIN_RETENTION_DAYS)) {
          gaps.push({ code: 'SHORT_RETENTION', stack: stack.stackName, subject: `${planId} ${rule.rule}`, message: `rule ${rule.rule} of ${planId} keeps recovery points ${Number.isNaN(rule.retentionDays) ? 'for a number of days the template does not state' : `${rule.retentionDays} days`}, under ${MIN_RETENTION_DAYS}: corruption found later than that cannot be undone` });
        }
        if (rule.vault && vaults.has(rule.vault)) {
          usedVaults.add(rule.vault);
        }
      }
    }
    for (const id of usedVaults) {
      if (vaults.get(id)!.Properties?.EncryptionKeyArn === undefined) {
        gaps.push({ code: 'VAULT_WITHOUT_CMK', stack: stack.stackName, subject: id, message: `backup vault ${id} has no EncryptionKeyArn: its recovery points are encrypted with a key the account does not control (Aurora/RDS points keep the cluster's key)` });
      }
    }
    for (const [logicalId, r] of all) {
      const kind = STATEFUL[r.Type];
      if (!kind) {
        continue;
      }
      const props = r.Properties ?? {};
      if (r.Type === 'AWS::RDS::DBInstance' && props.DBClusterIdentifier !== undefined) {
        continue; // A cluster member: its cluster is the resource.
      }
      const subjectRes = { logicalId, type: r.Type, props };
      const coverage: RuleCoverage[] = [];
      const coverageFacts: RuleFacts[] = [];
      const candidates = [...selections.map(([id, sel]) => ({ id, sel, plans, local: true })), ...foreign.map((f) => ({ ...f, local: false }))];
      for (const { id: selId, sel, plans: selPlans, local } of candidates) {
        const selection = sel.Properties?.BackupSelection ?? {};
        const m = selects(selection, subjectRes, stack.region);
        // A reference names a logical id of its own template: it cannot select a resource of another stack.
        if (m.match === 'no' || (!local && m.how === 'reference')) {
          continue;
        }
        const planRefs = [...refsOf(sel.Properties?.BackupPlanId)];
        const rules = planRefs.length && selPlans.has(planRefs[0]) ? selPlans.get(planRefs[0])! : [];
        if (rules.length === 0) {
          gaps.push({ code: 'COVERAGE_UNCERTAIN', stack: stack.stackName, subject: logicalId, message: `selection ${selId} assigns ${logicalId} to a backup plan outside this template: its rules cannot be read` });
        }
        for (const rule of rules) {
          const { isRate: _r, unknownReason: _u, timezone: _t, ...facts } = rule;
          coverage.push({ ...facts, selection: literal(selection.SelectionName) ?? selId, how: m.how, detail: m.detail, certain: m.match === 'yes' });
          if (m.match === 'yes') {
            coverageFacts.push(rule);
          }
        }
      }
      resources.push(assess(stack, logicalId, r, kind, coverage, coverageFacts, gaps));
    }
  }
  const targets: TargetCheck[] = [];
  for (const res of resources) {
    if (options.rpoSeconds !== undefined) {
      const worst = worse(res.rpo.azLoss, res.rpo.logicalCorruption);
      targets.push(check('rpo', options.rpoSeconds, res, worst));
    }
    if (options.regionRpoSeconds !== undefined) {
      targets.push(check('regionRpo', options.regionRpoSeconds, res, res.rpo.regionLoss));
    }
  }
  return { resources, gaps, targets };
}

function worse(a: Rpo, b: Rpo): Rpo {
  if (a.lost || b.lost) {
    return a.lost ? a : b;
  }
  if (a.seconds !== undefined && b.seconds !== undefined) {
    return a.seconds >= b.seconds ? a : b;
  }
  return a.seconds === undefined ? a : b;
}

function check(target: TargetCheck['target'], seconds: number, res: ResourcePosture, rpo: Rpo): TargetCheck {
  const base = { target, seconds, stack: res.stack, logicalId: res.logicalId };
  if (rpo.lost) {
    return { ...base, verdict: 'missed', reason: rpo.mechanism };
  }
  if (rpo.seconds !== undefined) {
    return rpo.seconds <= seconds
      ? { ...base, verdict: 'met', reason: `worst case ${describe(rpo.seconds)}` }
      : { ...base, verdict: 'missed', reason: `worst case ${describe(rpo.seconds)} > ${describe(seconds)}: ${rpo.mechanism}` };
  }
  if (rpo.atLeastSeconds !== undefined && rpo.atLeastSeconds > seconds) {
    return { ...base, verdict: 'missed', reason: `worst case at least ${describe(rpo.atLeastSeconds)} > ${describe(seconds)}: ${rpo.unknownReason}` };
  }
  return { ...base, verdict: 'unproven', reason: rpo.unknownReason ?? 'unknown' };
}

function assess(stack: LoadedTemplate, logicalId: string, r: CfnResource, kind: StatefulKind, coverage: RuleCoverage[],
  rules: RuleFacts[], gaps: Gap[]): ResourcePosture {
  const props = r.Properties ?? {};
  const type = r.Type;
  const nameProp = kind.arn?.nameProp;
  const physicalName = nameProp ? literal(props[nameProp]) : type === 'AWS::Lambda::Function' ? literal(props.FunctionName) : undefined;
  const name = physicalName ?? logicalId;
  const gap = (code: Gap['code'], message: string) => gaps.push({ code, stack: stack.stackName, subject: logicalId, message });
  const versioned = type === 'AWS::S3::Bucket' ? isVersioned(props) : undefined;
  const deletionPolicy = deletionPolicyOf(type, r);
  const deletionProtection = deletionProtectionOf(type, props);

  if (kind.model === ProtectedResourceType.LAMBDA) {
    const redeploy = 'restored by redeploy: code and configuration, no data';
    return {
      stack: stack.stackName,
      logicalId,
      type,
      physicalName,
      coverage: [],
      encryption: 'n/a',
      deletionPolicy,
      deletionProtection,
      outOfRegion: ['redeployed from the app'],
      rpo: { azLoss: { seconds: 0, mechanism: redeploy }, regionLoss: { seconds: 0, mechanism: regionLossOf(name, kind.model, { region: stack.region ?? 'its region', copyRegions: [], completionWindow: Duration.days(7) }).mechanism }, logicalCorruption: { seconds: 0, mechanism: redeploy } },
    };
  }

  // The resource's own point-in-time recovery.
  let ownPitr: string | undefined;
  let ownPitrRpo: Rpo | undefined;
  if (type === 'AWS::DynamoDB::Table' || type === 'AWS::DynamoDB::GlobalTable') {
    const specs = type === 'AWS::DynamoDB::Table' ? [props.PointInTimeRecoverySpecification] : (props.Replicas ?? []).map((x: any) => x?.PointInTimeRecoverySpecification);
    const on = specs.length > 0 && specs.every((s: any) => s?.PointInTimeRecoveryEnabled === true || s?.PointInTimeRecoveryEnabled === 'true');
    if (on) {
      const days = specs[0]?.RecoveryPeriodInDays ?? 35;
      ownPitr = `DynamoDB PITR, ${days} days`;
      ownPitrRpo = { seconds: DYNAMODB_PITR_LAG.toSeconds(), mechanism: `the table's point-in-time recovery (latest restorable time about ${DYNAMODB_PITR_LAG.toHumanString()} behind)` };
    }
  } else if (type === 'AWS::RDS::DBCluster' || type === 'AWS::RDS::DBInstance') {
    // Automated backups: Aurora keeps 1 to 35 days (never off); an RDS instance's 0 turns them off. CloudFormation's default is 1.
    const period = props.BackupRetentionPeriod === undefined ? 1 : Number(props.BackupRetentionPeriod);
    if (Number.isFinite(period) && period > 0) {
      ownPitr = `automated backups, ${period} day${period === 1 ? '' : 's'}`;
      ownPitrRpo = { seconds: AURORA_PITR_LAG.toSeconds(), mechanism: `automated backups (point-in-time restore, latest restorable time about ${AURORA_PITR_LAG.toHumanString()} behind)` };
    }
  }

  // Logical corruption: the newest recovery point from before it.
  const ruleRpos: Rpo[] = [];
  let unknownCoverage: string | undefined;
  for (const rule of rules) {
    if (rule.intervalSeconds === undefined) {
      unknownCoverage = `rule ${rule.rule}: ${rule.unknownReason}`;
      continue;
    }
    const c = coverageOf(
      { name, resourceType: kind.model, pointInTimeRecovery: ownPitrRpo !== undefined && kind.model === ProtectedResourceType.DYNAMODB, versioned },
      {
        retention: rule.retentionDays !== undefined && !Number.isNaN(rule.retentionDays) ? Duration.days(rule.retentionDays) : Duration.days(36500),
        startWindow: Duration.seconds(rule.startWindowSeconds),
        continuousBackup: rule.continuousBackup && kind.model !== ProtectedResourceType.OTHER,
        scheduleInterval: Duration.seconds(rule.intervalSeconds),
      });
    if (c.unknownReason || !c.effectiveRpo) {
      unknownCoverage = c.unknownReason ?? c.mechanism;
    } else {
      ruleRpos.push({ seconds: c.effectiveRpo.toSeconds(), mechanism: `${c.mechanism} (plan ${rule.plan}, rule ${rule.rule})` });
    }
  }
  const candidates = [...ruleRpos, ...(ownPitrRpo ? [ownPitrRpo] : [])];
  const uncertain = coverage.filter((c) => !c.certain);
  const logicalCorruption: Rpo = best(candidates)
    ?? (unknownCoverage ? { unknownReason: unknownCoverage, mechanism: `unknown: ${unknownCoverage}` }
      : uncertain.length ? { unknownReason: `only selections that may assign it (${uncertain.map((u) => u.detail).join('; ')})`, mechanism: 'unknown: a selection may assign it' }
        : { lost: true, mechanism: 'no backup and no point-in-time recovery: nothing restores the data' });

  // Gaps of the resource.
  if (coverage.length === 0) {
    gap('UNCOVERED', `${type} ${logicalId} is in no backup selection${ownPitr ? ` (its own ${ownPitr} still restores it in the region)` : ''}`);
  } else if (rules.length === 0) {
    gap('COVERAGE_UNCERTAIN', `${type} ${logicalId} is assigned only by selections whose match the template cannot settle: ${uncertain.map((u) => u.detail).join('; ')}`);
  }
  if (type === 'AWS::S3::Bucket' && coverage.length > 0 && versioned !== true) {
    gap('UNVERSIONED_BUCKET', `bucket ${logicalId} is in a backup selection but ${versioned === false ? 'is not versioned' : 'its versioning cannot be read'}: AWS Backup backs up only versioned buckets`);
  }
  if (deletionPolicy.startsWith('Delete') && deletionProtection !== true) {
    gap('DELETED_WITH_STACK', `${type} ${logicalId} has DeletionPolicy ${deletionPolicy} and no deletion protection: deleting the stack deletes its data`);
  }

  // AZ loss.
  const multiAz = kind.multiAz(props);
  const azLoss: Rpo = multiAz === true
    ? { seconds: 0, mechanism: 'stored in several Availability Zones: an AZ loss loses no committed data' }
    : multiAz === undefined ? { unknownReason: 'whether it is Multi-AZ cannot be read from the template', mechanism: 'unknown: MultiAZ is not literal' }
      : { ...logicalCorruption, mechanism: `in one Availability Zone: restored from ${logicalCorruption.mechanism}` };

  // Region loss.
  const outOfRegion: string[] = [];
  const regionRpos: Rpo[] = [];
  const store = (resourceType: string, lagMetric: string, where: string, enforcedBound?: Duration) => {
    const line = replicatedStoreLine(resourceType, { name, lagMetric, enforcedBound });
    outOfRegion.push(where);
    regionRpos.push(enforcedBound
      ? { seconds: enforcedBound.toSeconds(), mechanism: line.mechanism }
      : { atLeastSeconds: 0, unknownReason: line.unknownReason, mechanism: line.mechanism });
  };
  if (type === 'AWS::DynamoDB::GlobalTable') {
    const regions = (props.Replicas ?? []).map((x: any) => literal(x?.Region) ?? 'unknown').filter((x: string) => x !== stack.region);
    if ((props.Replicas ?? []).length > 1 && regions.length > 0) {
      store('DynamoDB', 'ReplicationLatency', `global table replicas in ${regions.join(', ')}`);
    }
  }
  if (type === 'AWS::RDS::DBCluster' && props.GlobalClusterIdentifier !== undefined) {
    store('Aurora', 'AuroraGlobalDBRPOLag', 'Aurora global database (GlobalClusterIdentifier)', globalDbRpoOf(stack, props));
  }
  if (type === 'AWS::S3::Bucket' && Array.isArray(props.ReplicationConfiguration?.Rules)) {
    const replicationRules: any[] = props.ReplicationConfiguration.Rules.filter((x: any) => x?.Status !== 'Disabled');
    if (replicationRules.length > 0) {
      const rtc = replicationRules.every((x: any) => x?.Destination?.ReplicationTime?.Status === 'Enabled');
      const line = replicatedBucketLine(name, rtc);
      outOfRegion.push(`S3 replication${rtc ? ' with RTC' : ''} (the destination bucket's region is not in its ARN)`);
      regionRpos.push({ atLeastSeconds: rtc ? S3_RTC_BOUND.toSeconds() : 0, unknownReason: line.unknownReason, mechanism: line.mechanism });
    }
  }
  if (type === 'AWS::EFS::FileSystem' && Array.isArray(props.ReplicationConfiguration?.Destinations)) {
    const regions = props.ReplicationConfiguration.Destinations.map((d: any) => literal(d?.Region) ?? 'unknown');
    outOfRegion.push(`EFS replication to ${regions.join(', ')}`);
    regionRpos.push({ atLeastSeconds: 0, unknownReason: 'EFS replication is asynchronous and AWS gives its lag no bound', mechanism: `EFS replication to ${regions.join(', ')}` });
  }
  for (const rule of rules) {
    const copyRegions = rule.copyRegions.filter((x) => x !== stack.region && x !== '${AWS::Region}');
    const sameRegion = rule.copyRegions.length - copyRegions.length;
    if (copyRegions.length === 0) {
      if (sameRegion > 0) {
        outOfRegion.push(`(rule ${rule.rule} copies within the region only)`);
      }
      continue;
    }
    const loss = regionLossOf(name, kind.model, {
      region: stack.region ?? 'the stack\'s region',
      copyRegions,
      completionWindow: Duration.seconds(rule.completionWindowSeconds),
      versioned,
      scheduleInterval: rule.intervalSeconds !== undefined ? Duration.seconds(rule.intervalSeconds) : undefined,
    });
    outOfRegion.push(`backup copies to ${copyRegions.join(', ')}${stack.region ? '' : ' (the stack\'s region is unknown: pass --region to check they leave it)'}`);
    regionRpos.push({
      atLeastSeconds: rule.intervalSeconds !== undefined ? loss.dataLossExcludingCopy?.toSeconds() : undefined,
      unknownReason: rule.intervalSeconds === undefined ? rule.unknownReason : loss.unknownReason,
      mechanism: `${loss.mechanism}${loss.dataLossExcludingCopy && rule.intervalSeconds !== undefined ? `; at least ${loss.dataLossExcludingCopy.toHumanString()} (schedule + completion window) plus the copy's own duration` : ''}`,
    });
  }
  let regionLoss: Rpo;
  if (regionRpos.length === 0) {
    regionLoss = { lost: true, mechanism: `no copy or replica outside ${stack.region ?? 'the region'}: lost with the region` };
    gap('NO_COPY_OUT_OF_REGION', `${type} ${logicalId} has no backup copy or replica outside ${stack.region ?? 'its region'}`);
  } else if (regionRpos.some((x) => x.seconds !== undefined)) {
    // A known bound (rds.global_db_rpo) caps the loss whatever the other copies do: the freshest copy is what survives.
    const known = regionRpos.filter((x) => x.seconds !== undefined).reduce((a, b) => (a.seconds! <= b.seconds! ? a : b));
    regionLoss = { seconds: known.seconds, mechanism: known.mechanism };
  } else {
    const lows = regionRpos.map((x) => x.atLeastSeconds);
    const atLeast = lows.some((x) => x === undefined) ? undefined : Math.min(...(lows as number[]));
    const chosen = regionRpos.reduce((a, b) => ((a.atLeastSeconds ?? Infinity) <= (b.atLeastSeconds ?? Infinity) ? a : b));
    regionLoss = { atLeastSeconds: atLeast, unknownReason: chosen.unknownReason, mechanism: chosen.mechanism };
  }
  return {
    stack: stack.stackName,
    logicalId,
    type,
    physicalName,
    coverage,
    ownPitr,
    encryption: encryptionOf(type, props),
    deletionPolicy,
    deletionProtection,
    outOfRegion,
    rpo: { azLoss, regionLoss, logicalCorruption },
  };
}

export * from './posture-model';

/**
 * The `rds.global_db_rpo` bound of an Aurora cluster, when its cluster
 * parameter group is a resource of the same template (a Ref) that sets it
 * to a literal number of seconds; undefined otherwise (no bound, or one the
 * template does not show).
 */
function globalDbRpoOf(stack: LoadedTemplate, props: Record<string, any>): Duration | undefined {
  const ref = props.DBClusterParameterGroupName?.Ref;
  const group = typeof ref === 'string' ? stack.template.Resources[ref] : undefined;
  if (group?.Type !== 'AWS::RDS::DBClusterParameterGroup') return undefined;
  const value = Number(literal(group.Properties?.Parameters?.['rds.global_db_rpo']));
  return Number.isInteger(value) && value >= 20 ? Duration.seconds(value) : undefined;
}
