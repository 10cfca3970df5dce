/**
 * Sweep of every duration prop: tokens in each unit, fractions, zero, bounds
 * and huge values. One rule judges each input: either we refuse it with a
 * message naming the prop and the value as given, or the template (after
 * strict schema validation) carries exactly that duration in the unit AWS
 * takes, within AWS's limit; a value inside the documented range is accepted.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AuroraGlobalSecondary, DrAlarms, EncryptedAurora, GlobalPitrTable, HourlyBackup, HourlyBackupProps, PitrTable, ProtectedResource,
  RegionSwitchPlan, RegionSwitchPlanProps, RegionSwitchRehearsal, RegionSwitchRehearsalProps, SingleRegionDrPlatform, VaultLockMode, VersionedBucket,
  VpcLambda,
} from '../../src';
import { isolatedVpc } from '../util';
import { attempt, DurationInput, durationInputs, TOKEN_REF, Unit } from './harness';

const resourcesOf = (template: any, type: string): any[] =>
  Object.values(template.Resources).filter((r: any) => r.Type === type).map((r: any) => r.Properties);
const dataBucket = (t: any) => resourcesOf(t, 'AWS::S3::Bucket').find((b) => b.VersioningConfiguration && b.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm === 'aws:kms');
const noncurrentRule = (t: any) => dataBucket(t).LifecycleConfiguration.Rules.find((r: any) => r.Id === 'expire-noncurrent-versions');

const backupWith = (stack: Stack, props: Partial<HourlyBackupProps>) => new HourlyBackup(stack, 'Backup', {
  environmentSuffix: 'dev',
  resources: [ProtectedResource.fromTable(new dynamodb.Table(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } }))],
  ...props,
});
const planRules = (t: any): any[] => resourcesOf(t, 'AWS::Backup::BackupPlan')[0].BackupPlan.BackupPlanRule;

interface DurationProp {
  /** `Construct.prop`, as the test names it. */
  readonly name: string;
  /** The prop as our error must name it. */
  readonly prop: string;
  /** The unit AWS takes the value in. */
  readonly unit: Unit;
  /** The range the library documents, within AWS's range. */
  readonly min: number;
  readonly max: number;
  /** AWS's own limits, to check the library's range against. */
  readonly awsMin: number;
  readonly awsMax: number;
  /** Allowed values, when AWS takes only some. */
  readonly allowed?: number[];
  /** Whether a token in `unit` goes through to the template. */
  readonly tokens: boolean;
  readonly build: (stack: Stack, value: Duration) => void;
  /** The value in the template, or undefined when the prop only feeds a warning. */
  readonly read?: (template: any) => unknown;
  /** The stack's environment, for constructs that need a concrete one. */
  readonly env?: { readonly account: string; readonly region: string };
}

const switchPlan = (stack: Stack, props: Partial<RegionSwitchPlanProps>) => new RegionSwitchPlan(stack, 'Switch', {
  environmentSuffix: 'dev',
  primaryRegion: 'us-east-1',
  secondaryRegion: 'us-west-2',
  recoveryTimeObjective: Duration.minutes(15),
  alarmTopic: sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-west-2:123456789012:t'),
  ...props,
});
const switchPlanOf = (t: any) => resourcesOf(t, 'AWS::ARCRegionSwitch::Plan')[0];
const rehearsal = (stack: Stack, props: Partial<RegionSwitchRehearsalProps>) => new RegionSwitchRehearsal(stack, 'Rehearsal', {
  environmentSuffix: 'dev',
  plan: switchPlan(stack, {}),
  markerTable: { tableName: 'dr-table-dev', partitionKeyName: 'pk' },
  alarmTopic: sns.Topic.fromTopicArn(stack, 'RehearsalTopic', 'arn:aws:sns:us-west-2:123456789012:t'),
  ...props,
});
const rehearsalFunctionOf = (t: any) => resourcesOf(t, 'AWS::Lambda::Function').find((f: any) => f.FunctionName === 'dr-switch-rehearsal-dev');
const rehearsalAlarmOf = (t: any, name: string) => resourcesOf(t, 'AWS::CloudWatch::Alarm').find((a: any) => a.AlarmName === name);
const SWITCH_ENV = { account: '123456789012', region: 'us-west-2' };

const PROPS: DurationProp[] = [
  {
    name: 'RegionSwitchPlan.recoveryTimeObjective',
    prop: 'recoveryTimeObjective',
    unit: 'minutes',
    min: 1,
    max: 10080,
    awsMin: 1,
    awsMax: 10080,
    tokens: false,
    env: SWITCH_ENV,
    build: (stack, recoveryTimeObjective) => switchPlan(stack, { recoveryTimeObjective }),
    read: (t) => switchPlanOf(t).RecoveryTimeObjectiveMinutes,
  },
  {
    name: 'RegionSwitchPlan.approval.timeout',
    prop: 'approval.timeout',
    unit: 'minutes',
    min: 1,
    max: 10080,
    // ARC documents a minimum of 1 and no maximum; the library's is the longest RTO.
    awsMin: 1,
    awsMax: Number.MAX_SAFE_INTEGER,
    tokens: false,
    env: SWITCH_ENV,
    build: (stack, timeout) => switchPlan(stack, { approval: { timeout } }),
    read: (t) => switchPlanOf(t).Workflows[0].Steps[0].ExecutionBlockConfiguration.ExecutionApprovalConfig.TimeoutMinutes,
  },
  {
    name: 'RegionSwitchRehearsal.switchTimeout',
    prop: 'switchTimeout',
    unit: 'minutes',
    min: 5,
    max: 10080,
    // Checked by the function on every poll, no AWS limit; the state machine's own (a year) is far above twice the longest.
    awsMin: 1,
    awsMax: Number.MAX_SAFE_INTEGER,
    tokens: false,
    env: SWITCH_ENV,
    build: (stack, switchTimeout) => rehearsal(stack, { switchTimeout }),
    read: (t) => Number(rehearsalFunctionOf(t).Environment.Variables.LEG_TIMEOUT_MINUTES),
  },
  {
    name: 'RegionSwitchRehearsal.scheduleInterval',
    prop: 'scheduleInterval',
    unit: 'hours',
    min: 24,
    max: 2208,
    // The overdue alarm's threshold less its day of slack: CloudWatch takes any number.
    awsMin: 0,
    awsMax: Number.MAX_SAFE_INTEGER,
    tokens: false,
    env: SWITCH_ENV,
    build: (stack, scheduleInterval) => rehearsal(stack, { scheduleInterval }),
    read: (t) => rehearsalAlarmOf(t, 'dr-rehearsal-overdue-dev').Threshold - 24,
  },
  {
    name: 'EncryptedAurora.backupRetention',
    prop: 'backupRetention',
    unit: 'days',
    min: 7,
    max: 35,
    awsMin: 1,
    awsMax: 35,
    tokens: true,
    build: (stack, backupRetention) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), backupRetention }),
    read: (t) => resourcesOf(t, 'AWS::RDS::DBCluster')[0].BackupRetentionPeriod,
  },
  {
    name: 'EncryptedAurora.monitoringInterval',
    prop: 'monitoringInterval',
    unit: 'seconds',
    min: 1,
    max: 60,
    awsMin: 0,
    awsMax: 60,
    allowed: [1, 5, 10, 15, 30, 60],
    tokens: true,
    build: (stack, monitoringInterval) => new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), monitoringInterval }),
    read: (t) => resourcesOf(t, 'AWS::RDS::DBInstance')[0].MonitoringInterval,
  },
  {
    name: 'PitrTable.pointInTimeRecoveryPeriod',
    prop: 'pointInTimeRecoveryPeriod',
    unit: 'days',
    min: 1,
    max: 35,
    awsMin: 1,
    awsMax: 35,
    tokens: true,
    build: (stack, pointInTimeRecoveryPeriod) => new PitrTable(stack, 'Table', { environmentSuffix: 'dev', pointInTimeRecoveryPeriod }),
    read: (t) => resourcesOf(t, 'AWS::DynamoDB::Table')[0].PointInTimeRecoverySpecification.RecoveryPeriodInDays,
  },
  {
    name: 'VersionedBucket.noncurrentVersionExpiration',
    prop: 'noncurrentVersionExpiration',
    unit: 'days',
    min: 1,
    max: 36500,
    awsMin: 1,
    awsMax: 2147483647,
    tokens: true,
    build: (stack, noncurrentVersionExpiration) => new VersionedBucket(stack, 'Data', { environmentSuffix: 'dev', noncurrentVersionExpiration }),
    read: (t) => noncurrentRule(t).NoncurrentVersionExpiration.NoncurrentDays,
  },
  {
    name: 'VersionedBucket.abortIncompleteMultipartUploadAfter',
    prop: 'abortIncompleteMultipartUploadAfter',
    unit: 'days',
    min: 1,
    max: 36500,
    awsMin: 1,
    awsMax: 2147483647,
    tokens: true,
    build: (stack, abortIncompleteMultipartUploadAfter) => new VersionedBucket(stack, 'Data', { environmentSuffix: 'dev', abortIncompleteMultipartUploadAfter }),
    read: (t) => noncurrentRule(t).AbortIncompleteMultipartUpload.DaysAfterInitiation,
  },
  {
    name: 'VersionedBucket.transitions[].transitionAfter',
    prop: 'transitions[0].transitionAfter',
    unit: 'days',
    min: 0,
    max: 2147483647,
    awsMin: 0,
    awsMax: 2147483647,
    tokens: true,
    build: (stack, transitionAfter) => new VersionedBucket(stack, 'Data', { environmentSuffix: 'dev', transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter }] }),
    read: (t) => dataBucket(t).LifecycleConfiguration.Rules.find((r: any) => r.Id === 'transition-current-versions').Transitions[0].TransitionInDays,
  },
  {
    name: 'VersionedBucket.noncurrentVersionTransitions[].transitionAfter',
    prop: 'noncurrentVersionTransitions[0].transitionAfter',
    unit: 'days',
    min: 0,
    max: 29,
    awsMin: 0,
    awsMax: 29,
    tokens: true,
    // Expiration at 30 days: a transition must come before it.
    build: (stack, transitionAfter) => new VersionedBucket(stack, 'Data', { environmentSuffix: 'dev', noncurrentVersionTransitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter }] }),
    read: (t) => noncurrentRule(t).NoncurrentVersionTransitions[0].TransitionInDays,
  },
  {
    name: 'VpcLambda.timeout',
    prop: 'timeout',
    unit: 'seconds',
    min: 1,
    max: 900,
    awsMin: 1,
    awsMax: 900,
    tokens: true,
    build: (stack, timeout) => new VpcLambda(stack, 'Fn', {
      environmentSuffix: 'dev',
      vpc: isolatedVpc(stack),
      timeout,
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
    }),
    read: (t) => resourcesOf(t, 'AWS::Lambda::Function')[0].Timeout,
  },
  {
    // At least 5 minutes: the protected table's point-in-time recovery trails by that much.
    // At most AWS Backup's 100-year completion window less the 1 h start window.
    name: 'HourlyBackup.rpo',
    prop: 'rpo',
    unit: 'minutes',
    min: 5,
    max: 52_559_940,
    awsMin: 1,
    awsMax: 52_560_000,
    tokens: false,
    build: (stack, rpo) => backupWith(stack, { rpo }),
    read: (t) => Duration.parse(planRules(t)[0].RecoveryPointTags['DR-RPO']).toMinutes(),
  },
  {
    name: 'HourlyBackup.startWindow',
    prop: 'startWindow',
    unit: 'minutes',
    min: 60,
    max: 60,
    awsMin: 60,
    awsMax: 52_560_000,
    tokens: false,
    // The start window may not exceed the RPO (1 hour by default).
    build: (stack, startWindow) => backupWith(stack, { startWindow }),
    read: (t) => planRules(t)[0].StartWindowMinutes,
  },
  {
    name: 'HourlyBackup.completionWindow',
    prop: 'completionWindow',
    unit: 'minutes',
    min: 61,
    max: 120,
    awsMin: 1,
    awsMax: 52_560_000,
    tokens: false,
    // Longer than the 1 h start window, at most start window + RPO.
    build: (stack, completionWindow) => backupWith(stack, { completionWindow }),
    read: (t) => planRules(t)[0].CompletionWindowMinutes,
  },
  {
    name: 'HourlyBackup.retention',
    prop: 'retention',
    unit: 'days',
    min: 7,
    max: 36500,
    awsMin: 1,
    awsMax: 36500,
    tokens: false,
    build: (stack, retention) => backupWith(stack, { retention, continuousBackup: false }),
    read: (t) => planRules(t)[0].Lifecycle.DeleteAfterDays,
  },
  {
    name: 'HourlyBackup.continuousBackupRetention',
    prop: 'continuousBackupRetention',
    unit: 'days',
    min: 7,
    max: 35,
    awsMin: 1,
    awsMax: 35,
    tokens: true,
    build: (stack, continuousBackupRetention) => backupWith(stack, { continuousBackupRetention }),
    read: (t) => planRules(t)[1].Lifecycle.DeleteAfterDays,
  },
  {
    name: 'HourlyBackup.complianceLockChangeableFor',
    prop: 'complianceLockChangeableFor',
    unit: 'days',
    min: 3,
    max: 36500,
    awsMin: 3,
    awsMax: 36500,
    tokens: true,
    build: (stack, complianceLockChangeableFor) => backupWith(stack, { vaultLock: VaultLockMode.COMPLIANCE, complianceLockChangeableFor }),
    read: (t) => resourcesOf(t, 'AWS::Backup::BackupVault')[0].LockConfiguration.ChangeableForDays,
  },
  {
    name: 'DrAlarms.period',
    prop: 'period',
    unit: 'minutes',
    min: 1,
    max: 10080,
    awsMin: 1,
    awsMax: 10080,
    tokens: false,
    build: (stack, period) => new DrAlarms(stack, 'Alarms', {
      environmentSuffix: 'dev', period, table: new dynamodb.Table(stack, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }),
    }),
    read: (t) => resourcesOf(t, 'AWS::CloudWatch::Alarm')[0].Period / 60,
  },
  // One region RPO rule (src/private/region-rpo.ts) for every monitor that takes one:
  // whole minutes from 1 (15 for a bucket, S3 RTC's bound) to a day; half of it is the lag alarms' threshold.
  {
    name: 'DrAlarms.monitorGlobalDatabase regionRpo',
    prop: 'regionRpo',
    unit: 'minutes',
    min: 1,
    max: 1440,
    awsMin: 1,
    awsMax: 1440,
    tokens: false,
    build: (stack, regionRpo) => {
      const secondary = new AuroraGlobalSecondary(stack, 'Secondary', { environmentSuffix: 'dev', vpc: isolatedVpc(stack), globalClusterIdentifier: 'dr-aurora-global-dev' });
      new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' }).monitorGlobalDatabase(secondary.cluster, { regionRpo, globalClusterIdentifier: 'dr-aurora-global-dev' });
    },
    read: (t) => resourcesOf(t, 'AWS::CloudWatch::Alarm')[0].Threshold * 2 / 1000 / 60,
  },
  {
    name: 'DrAlarms.monitorTableReplication regionRpo',
    prop: 'regionRpo',
    unit: 'minutes',
    min: 1,
    max: 1440,
    awsMin: 1,
    awsMax: 1440,
    tokens: false,
    env: { account: '111111111111', region: 'us-east-1' },
    build: (stack, regionRpo) => {
      const table = new GlobalPitrTable(stack, 'Table', { environmentSuffix: 'dev', replicaRegions: ['us-west-2'] });
      new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' }).monitorTableReplication(table, { regionRpo });
    },
    read: (t) => resourcesOf(t, 'AWS::CloudWatch::Alarm')[0].Threshold * 2 / 1000 / 60,
  },
  {
    name: 'DrAlarms.monitorBucketReplication regionRpo',
    prop: 'regionRpo',
    unit: 'minutes',
    min: 15,
    max: 1440,
    awsMin: 15,
    awsMax: 1440,
    tokens: false,
    env: { account: '111111111111', region: 'us-east-1' },
    build: (stack, regionRpo) => {
      const bucket = new VersionedBucket(stack, 'Data', {
        environmentSuffix: 'dev', replication: { destinationBucketName: 'dr-data-111111111111-us-west-2-dev', destinationRegion: 'us-west-2' },
      });
      new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev' }).monitorBucketReplication(bucket, { regionRpo });
    },
  },
  {
    name: 'SingleRegionDrPlatform.rto',
    prop: 'rto',
    unit: 'minutes',
    min: 15,
    max: 4320,
    awsMin: 15,
    awsMax: 4320,
    tokens: false,
    build: (stack, rto) => new SingleRegionDrPlatform(stack, 'Platform', { environmentSuffix: 'dev', rto }),
  },
];

describe.each(PROPS)('$name', (spec) => {
  test('the documented range lies within AWS\'s limits', () => {
    expect(spec.min).toBeGreaterThanOrEqual(spec.awsMin);
    expect(spec.max).toBeLessThanOrEqual(spec.awsMax);
  });

  test.each(durationInputs(spec.unit, spec.min, spec.max).map((input) => [input.label, input] as [string, DurationInput]))('%s', (_label, input) => {
    const amount = input.amountIn(spec.unit);
    const expectAccepted = amount === undefined
      ? spec.tokens && input.tokenUnit === spec.unit
      : Number.isInteger(amount) && amount >= spec.min && amount <= spec.max && (spec.allowed?.includes(amount) ?? true);

    const verdict = attempt((stack) => spec.build(stack, input.make(stack)), { env: spec.env });

    if (verdict.accepted) {
      expect(expectAccepted).toBe(true);
      if (spec.read) {
        const value = spec.read(verdict.template);
        expect(value).toEqual(amount === undefined ? TOKEN_REF : amount);
        if (amount !== undefined) {
          expect(amount).toBeGreaterThanOrEqual(spec.awsMin);
          expect(amount).toBeLessThanOrEqual(spec.awsMax);
        }
      }
    } else {
      expect(expectAccepted).toBe(false);
      expect(verdict.message).toContain(`\`${spec.prop}\``);
      // The value as the user gave it, never a number aws-cdk-lib derived from it.
      expect(verdict.message).toContain(amount === undefined ? '<token>' : input.make(new Stack()).toHumanString());
      expect(verdict.message).not.toMatch(/cannot be converted into a whole number|Duration must be specified as/);
    }
  });
});
