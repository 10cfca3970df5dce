// Counts what a set of synthesized CloudFormation templates is billed for:
// one line per billed item, with its quantity and the key of its unit price
// in scripts/prices.json. Pure: templates in, lines out. Used by
// scripts/cost-table.ts, which prices and renders them into docs/costs.md.

/** One synthesized stack: its name, its region and its template. */
export interface StackTemplate {
  readonly stack: string;
  readonly region: string;
  readonly template: any;
}

/** The part of the platform a line belongs to. */
export type Part = 'Platform' | 'Restore drills' | 'Recovery point monitor' | 'Region switch plan';
export const PARTS: readonly Part[] = ['Platform', 'Restore drills', 'Recovery point monitor', 'Region switch plan'];

/** A cost that recurs every month whatever the traffic: `count` × `per` units at price `price`. */
export interface FixedLine {
  readonly part: Part;
  readonly region: string;
  readonly item: string;
  readonly count: number;
  /** Units per counted thing, e.g. 730 hours, 2 ACU × 730 h. */
  readonly per: number;
  /** How `per` is made up, for the arithmetic column. */
  readonly perText: string;
  readonly price: string;
}

/** A cost that scales with data or requests: priced at an example volume, stated as an assumption. */
export interface VolumeLine {
  readonly part: Part;
  readonly region: string;
  readonly item: string;
  /** The example volume, in the price's unit. */
  readonly example: number;
  /** How the example volume is made up. */
  readonly assumption: string;
  readonly price: string;
}

/** What the templates are billed for, and what they hold that has no monthly charge of its own. */
export interface Counted {
  readonly fixed: FixedLine[];
  readonly volume: VolumeLine[];
  readonly uncharged: string[];
}

/** Assumptions the counts rest on; each is printed with the table. */
export const ASSUMPTIONS = {
  /** Seconds each run of a library function takes (the monitor, the drill functions). */
  lambdaSeconds: 2,
  /** Hours a drill's restored Aurora copy runs an instance before it is deleted. */
  drillHours: 1,
  /** GB per data store (Aurora, the table, the bucket) in the per-GB examples. */
  storeGb: 10,
  /** Application writes a month in the DynamoDB example, in millions. */
  writesMillions: 1,
  /** Aurora I/O requests a month in the example, in millions. */
  ioMillions: 10,
  /** GB through the interface endpoints a month. */
  endpointGb: 10,
  /** GB of CloudWatch Logs a month (Lambda, flow logs, Aurora log exports). */
  logsGb: 5,
} as const;

const DRILL_METRICS = new Set(['MeasuredRto', 'DrillFailed', 'LastValidatedDrillAge']);
const MONITOR_METRICS = new Set(['EffectiveRpo', 'BackupRecoveryPointAge', 'MeasurementFailures']);

/** Runs a month of an EventBridge/Scheduler/AWS Backup schedule expression (rate or cron). */
export function runsPerMonth(expression: string, hoursPerMonth: number): number {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const minutes = Number(rate[1]) * (rate[2].startsWith('minute') ? 1 : rate[2].startsWith('hour') ? 60 : 1440);
    return hoursPerMonth * 60 / minutes;
  }
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
  if (!cron) throw new Error(`cannot count the runs of schedule ${expression}`);
  const [, minute, hour, dayOfMonth, month, dayOfWeek] = cron;
  const values = (field: string, all: number) => (field === '*' || field === '?' ? all : field.split(',').length);
  if (month !== '*' || /[/\-#LW]/.test(`${minute}${hour}${dayOfMonth}${dayOfWeek}`)) {
    throw new Error(`cannot count the runs of schedule ${expression}`);
  }
  const perDay = values(minute, 60) * values(hour, 24);
  const days = dayOfWeek !== '?' && dayOfWeek !== '*'
    ? values(dayOfWeek, 7) * (hoursPerMonth / 24 / 7)
    : dayOfMonth !== '?' && dayOfMonth !== '*' ? values(dayOfMonth, 31) : hoursPerMonth / 24;
  return perDay * days;
}

function partOf(id: string, resource: any): Part {
  // The secondary region's drill of the primary's copies is a restore drill too.
  if (/RestoreDrill|CopyDrill/.test(id)) return 'Restore drills';
  if (/RecoveryPoints/.test(id)) return 'Recovery point monitor';
  // The plan's verify step runs only in a switch, like the plan's own functions.
  if (/RegionSwitch|VerifyWriter/.test(id)) return 'Region switch plan';
  const metric = resource.Properties?.MetricName;
  if (DRILL_METRICS.has(metric)) return 'Restore drills';
  if (MONITOR_METRICS.has(metric)) return 'Recovery point monitor';
  return 'Platform';
}

/** The logical id a `Ref` or `Fn::GetAtt` points at, if it points at one. */
function refId(value: any): string | undefined {
  if (value?.Ref) return value.Ref;
  if (Array.isArray(value?.['Fn::GetAtt'])) return value['Fn::GetAtt'][0];
  return undefined;
}

/** The logical ids a value mentions anywhere (in a Join, a GetAtt, ...). */
function mentions(value: any, into: Set<string> = new Set()): Set<string> {
  const id = refId(value);
  if (id) into.add(id);
  if (value && typeof value === 'object') Object.values(value).forEach((v) => mentions(v, into));
  return into;
}

/** Aurora, DynamoDB or S3, for an ARN in a backup selection (a Ref/GetAtt of the resource, or an ARN built by a Join). */
function storeType(value: any, resources: Record<string, any>): string | undefined {
  for (const id of mentions(value)) {
    const type = resources[id]?.Type;
    if (type === 'AWS::RDS::DBCluster') return 'Aurora';
    if (type === 'AWS::DynamoDB::Table' || type === 'AWS::DynamoDB::GlobalTable') return 'DynamoDB';
    if (type === 'AWS::S3::Bucket') return 'S3';
  }
  const text = JSON.stringify(value);
  if (text.includes(':rds:')) return 'Aurora';
  if (text.includes(':dynamodb:')) return 'DynamoDB';
  if (text.includes(':s3:')) return 'S3';
  return undefined;
}

const BACKUP_PRICE: Record<string, string> = { Aurora: 'backupAuroraGbMonth', DynamoDB: 'backupDynamodbGbMonth', S3: 'backupS3GbMonth' };

/** Counts the billed items of one configuration's stacks. */
export function countLines(stacks: readonly StackTemplate[], hoursPerMonth: number): Counted {
  const fixed = new Map<string, FixedLine>();
  const volume: VolumeLine[] = [];
  const uncharged = new Map<string, number>();
  const h = hoursPerMonth;
  const add = (line: FixedLine) => {
    const key = [line.part, line.region, line.item, line.per, line.price].join('|');
    const seen = fixed.get(key);
    fixed.set(key, seen ? { ...seen, count: seen.count + line.count } : line);
  };
  const note = (what: string, n = 1) => uncharged.set(what, (uncharged.get(what) ?? 0) + n);
  const gb = ASSUMPTIONS.storeGb;

  for (const { region, template } of stacks) {
    const resources: Record<string, any> = template.Resources ?? {};
    const entries = Object.entries(resources);
    const ofType = (type: string) => entries.filter(([, r]) => r.Type === type);
    const customMetrics = new Map<string, Part>();

    for (const [id, r] of ofType('AWS::RDS::DBInstance')) {
      const cluster = resources[refId(r.Properties.DBClusterIdentifier) ?? '']?.Properties ?? {};
      const scaling = cluster.ServerlessV2ScalingConfiguration;
      if (r.Properties.DBInstanceClass === 'db.serverless' && scaling) {
        add({ part: partOf(id, r), region, item: `Aurora Serverless v2 instance, priced at its minimum ${scaling.MinCapacity} ACU (it scales to ${scaling.MaxCapacity})`, count: 1, per: scaling.MinCapacity * h, perText: `${scaling.MinCapacity} ACU × ${h} h`, price: 'auroraServerlessV2AcuHour' });
      } else {
        add({ part: partOf(id, r), region, item: `Aurora instance ${r.Properties.DBInstanceClass}`, count: 1, per: h, perText: `${h} h`, price: `aurora:${r.Properties.DBInstanceClass}` });
      }
    }
    for (const [id, r] of ofType('AWS::RDS::DBCluster')) {
      const name = r.Properties.DBClusterIdentifier ?? id;
      volume.push({ part: partOf(id, r), region, item: `Aurora storage, cluster ${name}`, example: gb, assumption: `${gb} GB`, price: 'auroraStorageGbMonth' });
      volume.push({ part: partOf(id, r), region, item: `Aurora I/O, cluster ${name}`, example: ASSUMPTIONS.ioMillions, assumption: `${ASSUMPTIONS.ioMillions} million I/Os`, price: 'auroraIoMillion' });
      // A password RDS manages lives in Secrets Manager and is billed as a secret there
      // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html).
      if (r.Properties.ManageMasterUserPassword) {
        add({ part: partOf(id, r), region, item: 'Secrets Manager secret (the Aurora master password RDS manages)', count: 1, per: 1, perText: '1 month', price: 'secretMonth' });
      }
      if (r.Properties.GlobalClusterIdentifier && !r.Properties.MasterUsername) {
        // A global database's secondary cluster: it has no master user of its own.
        volume.push({ part: partOf(id, r), region, item: `Aurora global database replicated write I/O into ${name}`, example: ASSUMPTIONS.ioMillions, assumption: `${ASSUMPTIONS.ioMillions} million write I/Os`, price: 'auroraGlobalReplicatedWriteIoMillion' });
      }
    }
    for (const [id, r] of ofType('AWS::EC2::VPCEndpoint')) {
      if (r.Properties.VpcEndpointType !== 'Interface') {
        note(`${r.Properties.VpcEndpointType ?? 'Gateway'} VPC endpoints (no hourly charge)`);
        continue;
      }
      if (!Array.isArray(r.Properties.SubnetIds)) throw new Error(`cannot count the subnets of interface endpoint ${id}: SubnetIds is not a list`);
      const subnets = r.Properties.SubnetIds.length;
      add({ part: partOf(id, r), region, item: 'Interface VPC endpoint network interfaces (one per endpoint per subnet/AZ)', count: subnets, per: h, perText: `${h} h`, price: 'interfaceEndpointAzHour' });
    }
    if (ofType('AWS::EC2::VPCEndpoint').some(([, r]) => r.Properties.VpcEndpointType === 'Interface')) {
      volume.push({ part: 'Platform', region, item: 'Interface VPC endpoint data processed', example: ASSUMPTIONS.endpointGb, assumption: `${ASSUMPTIONS.endpointGb} GB`, price: 'interfaceEndpointGb' });
    }
    for (const [id, r] of [...ofType('AWS::KMS::Key'), ...ofType('AWS::KMS::ReplicaKey')]) {
      add({ part: partOf(id, r), region, item: 'KMS customer managed key', count: 1, per: 1, perText: '1 month', price: 'kmsKeyMonth' });
    }
    for (const [id, r] of ofType('AWS::SecretsManager::Secret')) {
      add({ part: partOf(id, r), region, item: 'Secrets Manager secret', count: 1, per: 1, perText: '1 month', price: 'secretMonth' });
      for (const replica of r.Properties.ReplicaRegions ?? []) {
        add({ part: partOf(id, r), region: replica.Region, item: 'Secrets Manager secret replica', count: 1, per: 1, perText: '1 month', price: 'secretMonth' });
      }
    }

    for (const [id, r] of ofType('AWS::CloudWatch::Alarm')) {
      const p = r.Properties;
      const part = partOf(id, r);
      const noteMetric = (m: any) => {
        if (m?.Namespace && !String(m.Namespace).startsWith('AWS/')) {
          customMetrics.set(JSON.stringify([m.Namespace, m.MetricName, m.Dimensions ?? []]), part);
        }
      };
      if (!p.Metrics) {
        noteMetric(p);
        const high = Number(p.Period) < 60;
        add({ part, region, item: high ? 'CloudWatch high-resolution alarm' : 'CloudWatch alarm on one metric', count: 1, per: 1, perText: '1 metric', price: high ? 'alarmHighResolutionMetricMonth' : 'alarmMetricMonth' });
      } else if (p.Metrics.some((m: any) => /^\s*SELECT\b/i.test(expressionText(m.Expression)))) {
        add({ part, region, item: 'CloudWatch Metrics Insights query alarm', count: 1, per: 1, perText: '1 query', price: 'metricsInsightsAlarmMonth' });
      } else {
        const stats = p.Metrics.filter((m: any) => m.MetricStat);
        stats.forEach((m: any) => noteMetric(m.MetricStat.Metric));
        const high = stats.some((m: any) => Number(m.MetricStat.Period) < 60);
        add({ part, region, item: `CloudWatch metric-math alarm on ${stats.length} metrics`, count: 1, per: stats.length, perText: `${stats.length} metrics`, price: high ? 'alarmHighResolutionMetricMonth' : 'alarmMetricMonth' });
      }
    }
    for (const [id, r] of ofType('AWS::CloudWatch::CompositeAlarm')) {
      add({ part: partOf(id, r), region, item: 'CloudWatch composite alarm', count: 1, per: 1, perText: '1 month', price: 'compositeAlarmMonth' });
    }
    for (const part of customMetrics.values()) {
      add({ part, region, item: 'CloudWatch custom metric an alarm watches (the monitor and the drills publish them)', count: 1, per: 1, perText: '1 month', price: 'customMetricMonth' });
    }
    for (const [id, r] of ofType('AWS::CloudWatch::Dashboard')) {
      add({ part: partOf(id, r), region, item: 'CloudWatch dashboard', count: 1, per: 1, perText: '1 month', price: 'dashboardMonth' });
    }

    // Restore drills: runs of each restore testing plan, by the type of what they restore.
    const restoresPerMonth = new Map<string, number>();
    for (const [id, r] of ofType('AWS::Backup::RestoreTestingSelection')) {
      const plan = entries.find(([, p]) => p.Type === 'AWS::Backup::RestoreTestingPlan' && p.Properties.RestoreTestingPlanName === r.Properties.RestoreTestingPlanName)?.[1];
      if (!plan) continue;
      const runs = runsPerMonth(plan.Properties.ScheduleExpression, h);
      const type = r.Properties.ProtectedResourceType;
      restoresPerMonth.set(type, (restoresPerMonth.get(type) ?? 0) + runs);
      add({ part: partOf(id, r), region, item: 'AWS Backup restore testing job', count: runs, per: 1, perText: '1 job', price: 'restoreTestingJob' });
      if (type === 'Aurora') {
        const clusterId = [...mentions(r.Properties.ProtectedResourceArns)].find((m) => resources[m]?.Type === 'AWS::RDS::DBCluster');
        const scaling = resources[clusterId ?? '']?.Properties?.ServerlessV2ScalingConfiguration;
        if (scaling) {
          add({ part: partOf(id, r), region, item: `Aurora drill: the restored copy's Serverless v2 instance at the minimum ${scaling.MinCapacity} ACU for ${ASSUMPTIONS.drillHours} h`, count: runs, per: scaling.MinCapacity * ASSUMPTIONS.drillHours, perText: `${scaling.MinCapacity} ACU × ${ASSUMPTIONS.drillHours} h`, price: 'auroraServerlessV2AcuHour' });
        }
      }
    }
    for (const [type, runs] of restoresPerMonth) {
      if (type === 'DynamoDB' || type === 'S3') {
        volume.push({ part: 'Restore drills', region, item: `${type} data restored by the drills`, example: runs * gb, assumption: `${round(runs)} restores × ${gb} GB`, price: type === 'DynamoDB' ? 'dynamodbRestoreGb' : 'backupS3RestoreGb' });
      }
    }

    // Lambda: runs a month from the schedules that target each function.
    const restoreJobs = [...restoresPerMonth.values()].reduce((a, b) => a + b, 0);
    for (const [id, r] of ofType('AWS::Lambda::Function')) {
      const p = r.Properties;
      const schedules = entries.filter(([, e]) => (e.Type === 'AWS::Events::Rule' && e.Properties.ScheduleExpression
        && (e.Properties.Targets ?? []).some((t: any) => refId(t.Arn) === id))
        || (e.Type === 'AWS::Scheduler::Schedule' && refId(e.Properties.Target?.Arn) === id));
      const part = partOf(id, r);
      const name = p.FunctionName ?? id;
      const memoryGb = (p.MemorySize ?? 128) / 1024;
      const price = (p.Architectures ?? []).includes('arm64') ? 'lambdaGbSecondArm' : 'lambdaGbSecondX86';
      let runs: number | undefined;
      let why = '';
      if (schedules.length > 0) {
        runs = schedules.reduce((sum, [, e]) => sum + runsPerMonth(e.Properties.ScheduleExpression, h), 0);
        why = schedules.map(([, e]) => e.Properties.ScheduleExpression).join(', ');
      } else if (part === 'Restore drills') {
        runs = restoreJobs;
        why = 'at most once per drill restore';
      }
      if (runs === undefined || part === 'Region switch plan') {
        note(`Lambda function ${name}, billed per run (${part === 'Region switch plan' ? 'runs only in a Region switch' : 'runs with the workload'})`);
        if (part === 'Platform') {
          volume.push({ part, region, item: `Lambda ${name}: 1 million runs at ${p.MemorySize} MB × 0.1 s`, example: 1, assumption: '1 million requests', price: 'lambdaRequestMillion' });
          volume.push({ part, region, item: `Lambda ${name}: duration of those runs`, example: 1e6 * memoryGb * 0.1, assumption: `1 million × ${memoryGb} GB × 0.1 s`, price });
        }
        continue;
      }
      add({ part, region, item: `Lambda ${name} requests (${why})`, count: runs, per: 1e-6, perText: '10⁻⁶ million', price: 'lambdaRequestMillion' });
      add({ part, region, item: `Lambda ${name} duration (${why}, ${ASSUMPTIONS.lambdaSeconds} s a run assumed)`, count: runs, per: memoryGb * ASSUMPTIONS.lambdaSeconds, perText: `${memoryGb} GB × ${ASSUMPTIONS.lambdaSeconds} s`, price });
    }

    // AWS Backup: storage per protected type, continuous backup, cross-Region copies.
    for (const [, plan] of ofType('AWS::Backup::BackupPlan')) {
      const planId = entries.find(([, r]) => r === plan)![0];
      const types = new Set<string>();
      for (const [, s] of ofType('AWS::Backup::BackupSelection')) {
        if (refId(s.Properties.BackupPlanId) !== planId) continue;
        for (const arn of s.Properties.BackupSelection.Resources ?? []) {
          const type = storeType(arn, resources);
          if (type) types.add(type);
        }
      }
      for (const rule of plan.Properties.BackupPlan.BackupPlanRule ?? []) {
        for (const type of types) {
          if (rule.EnableContinuousBackup && type === 'DynamoDB') continue;
          const kind = rule.EnableContinuousBackup ? 'continuous backup' : 'snapshot backup storage (warm)';
          volume.push({ part: 'Platform', region, item: `AWS Backup ${type} ${kind}, rule ${rule.RuleName}`, example: gb, assumption: `${gb} GB`, price: BACKUP_PRICE[type] });
          if ((rule.CopyActions ?? []).length > 0) {
            volume.push({ part: 'Platform', region, item: `AWS Backup cross-Region copy transfer of ${type} recovery points, rule ${rule.RuleName}`, example: gb, assumption: `${gb} GB a month`, price: 'interRegionTransferGb' });
          }
        }
      }
    }

    // DynamoDB: point-in-time recovery, and the global table's replicated writes.
    for (const [id, r] of [...ofType('AWS::DynamoDB::Table'), ...ofType('AWS::DynamoDB::GlobalTable')]) {
      const replicas: any[] = r.Type === 'AWS::DynamoDB::GlobalTable' ? r.Properties.Replicas ?? [] : [r.Properties];
      for (const replica of replicas) {
        if (replica.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled) {
          volume.push({ part: partOf(id, r), region: replica.Region ?? region, item: 'DynamoDB point-in-time recovery', example: gb, assumption: `${gb} GB`, price: 'dynamodbPitrGbMonth' });
        }
      }
      if (r.Type === 'AWS::DynamoDB::GlobalTable') {
        const w = ASSUMPTIONS.writesMillions;
        volume.push({ part: partOf(id, r), region, item: `DynamoDB global table replicated writes (one per replica, ${replicas.length} replicas)`, example: w * replicas.length, assumption: `${w} million writes × ${replicas.length} replicas`, price: 'dynamodbReplicatedWriteMillion' });
        volume.push({ part: partOf(id, r), region, item: 'DynamoDB global table replication transfer between Regions', example: gb, assumption: `${gb} GB`, price: 'interRegionTransferGb' });
      }
    }

    // S3 replication: Replication Time Control, transfer, the replica's storage.
    for (const [id, r] of ofType('AWS::S3::Bucket')) {
      for (const rule of r.Properties.ReplicationConfiguration?.Rules ?? []) {
        const part = partOf(id, r);
        if (rule.Destination?.ReplicationTime?.Status === 'Enabled') {
          volume.push({ part, region, item: 'S3 Replication Time Control', example: gb, assumption: `${gb} GB replicated`, price: 's3ReplicationTimeControlGb' });
        }
        volume.push({ part, region, item: 'S3 replication transfer between Regions', example: gb, assumption: `${gb} GB replicated`, price: 'interRegionTransferGb' });
        volume.push({ part, region, item: 'S3 replica storage (Standard)', example: gb, assumption: `${gb} GB`, price: 's3StandardGbMonth' });
      }
    }

    for (const [id, r] of ofType('AWS::Route53::HealthCheck')) {
      add({ part: partOf(id, r), region, item: 'Route 53 health check', count: 1, per: 1, perText: '1 month', price: 'route53HealthCheckMonth' });
    }
    for (const [id, r] of ofType('AWS::ARCRegionSwitch::Plan')) {
      add({ part: partOf(id, r), region, item: 'ARC Region switch plan', count: 1, per: 1, perText: '1 month', price: 'arcRegionSwitchPlanMonth' });
    }
    if (ofType('AWS::Lambda::Function').length + ofType('AWS::EC2::FlowLog').length > 0) {
      volume.push({ part: 'Platform', region, item: 'CloudWatch Logs ingestion (Lambda, VPC flow logs, Aurora log exports)', example: ASSUMPTIONS.logsGb, assumption: `${ASSUMPTIONS.logsGb} GB`, price: 'logsIngestedGb' });
    }
    for (const [type, label] of [['AWS::Events::Rule', 'EventBridge rules'], ['AWS::SNS::Topic', 'SNS topics'], ['AWS::SQS::Queue', 'SQS queues'], ['AWS::SSM::Parameter', 'SSM standard parameters'], ['AWS::Logs::LogGroup', 'log groups']] as const) {
      const n = ofType(type).length;
      if (n > 0) note(`${label} (billed by use only)`, n);
    }
  }
  const distinct = new Map(volume.map((v) => [[v.part, v.region, v.item, v.price, v.example].join('|'), v]));
  return {
    fixed: [...fixed.values()],
    volume: [...distinct.values()],
    uncharged: [...uncharged].sort((a, b) => a[0].localeCompare(b[0])).map(([what, n]) => `${n} × ${what}`),
  };
}

/** A number rounded to two decimals, for assumptions. */
export function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/** A query's expression as text: a plain string, or the first part of an Fn::Join (a query naming a resource by reference). */
function expressionText(expression: unknown): string {
  if (typeof expression === 'string') return expression;
  const first = (expression as any)?.['Fn::Join']?.[1]?.[0];
  return typeof first === 'string' ? first : '';
}
