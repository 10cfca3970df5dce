import { Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AuroraGlobalSecondary, DrAlarms, GlobalPitrTable, VersionedBucket } from '../../src';
import { complianceTest, isolatedVpc, nagFindings, testApp } from '../util';

const ACCOUNT = '111111111111';
const DESTINATION = `dr-data-${ACCOUNT}-us-west-2-dev`;

/** A primary stack with a global table and a replicating bucket, and a secondary stack, each with its DrAlarms. */
function setup(options: { validate?: boolean; primaryEnv?: { account?: string; region: string } } = {}) {
  const app = testApp({ validate: options.validate });
  const primary = new Stack(app, 'Primary', { env: options.primaryEnv ?? { account: ACCOUNT, region: 'us-east-1' } });
  const secondary = new Stack(app, 'Secondary', { env: { account: ACCOUNT, region: 'us-west-2' } });
  const table = new GlobalPitrTable(primary, 'Table', { environmentSuffix: 'dev', replicaRegions: ['us-west-2', 'eu-west-1'] });
  const bucket = new VersionedBucket(primary, 'Data', {
    environmentSuffix: 'dev',
    replication: { destinationBucketName: DESTINATION, destinationRegion: 'us-west-2' },
  });
  const primaryAlarms = new DrAlarms(primary, 'Alarms', { environmentSuffix: 'dev' });
  const secondaryAlarms = new DrAlarms(secondary, 'Alarms', { environmentSuffix: 'dev', dashboardName: 'dr-dashboard-dev-secondary' });
  return { app, primary, secondary, table, bucket, primaryAlarms, secondaryAlarms };
}

const alarmsOf = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties);
const alarmNamed = (stack: Stack, name: string) => {
  const found = alarmsOf(stack).filter((a) => a.AlarmName === name);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('monitorTableReplication', () => {
  test.each(['us-west-2', 'eu-west-1'])('an alarm on ReplicationLatency towards %s, in the table\'s region', (region) => {
    const { primary, table, primaryAlarms } = setup();
    const alarms = primaryAlarms.monitorTableReplication(table, { regionRpo: Duration.minutes(15) });
    expect(alarms).toHaveLength(2);
    expect(alarmNamed(primary, `dr-table-replication-latency-${region}-dev`)).toMatchObject({
      Namespace: 'AWS/DynamoDB',
      MetricName: 'ReplicationLatency',
      Dimensions: [{ Name: 'ReceivingRegion', Value: region }, { Name: 'TableName', Value: 'dr-table-dev' }],
      Statistic: 'Maximum',
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'ignore',
      Threshold: 450_000,
    });
  });

  test.each([
    [Duration.minutes(1), 30_000],
    [Duration.minutes(5), 150_000],
    [Duration.minutes(15), 450_000],
    [Duration.hours(1), 1_800_000],
    [Duration.days(1), 43_200_000],
  ])('regionRpo %s gives a threshold of half of it: %d ms', (regionRpo, thresholdMs) => {
    const { primary, table, primaryAlarms } = setup();
    primaryAlarms.monitorTableReplication(table, { regionRpo });
    expect(alarmNamed(primary, 'dr-table-replication-latency-us-west-2-dev').Threshold).toBe(thresholdMs);
  });

  test('each alarm notifies the topic on ALARM and OK, and the dashboard graphs the latency with the threshold', () => {
    const { primary, table, primaryAlarms } = setup();
    primaryAlarms.monitorTableReplication(table, { regionRpo: Duration.minutes(15) });
    const a = alarmNamed(primary, 'dr-table-replication-latency-us-west-2-dev');
    expect(a.AlarmActions).toHaveLength(1);
    expect(a.OKActions).toEqual(a.AlarmActions);
    const body = JSON.stringify(primary.resolve(Object.values(Template.fromStack(primary).findResources('AWS::CloudWatch::Dashboard'))[0]));
    expect(body).toContain('ReplicationLatency');
    expect(body).toContain('half the RPO (15 minutes)');
  });

  test.each([
    ['table', 'Primary', 'dr-table-replication-latency-us-west-2-dev'],
    ['bucket (destination)', 'Secondary', 'dr-bucket-replication-latency-dev'],
    ['bucket (source)', 'Primary', 'dr-bucket-replication-failed-dev'],
  ])('the %s alarm filters on no unit: a unit that differs from the published one would silence it', (_label, stackName, alarmName) => {
    const { app, table, bucket, primaryAlarms, secondaryAlarms } = setup();
    primaryAlarms.monitorTableReplication(table, { regionRpo: Duration.minutes(15) });
    primaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) });
    secondaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) });
    expect(alarmNamed(app.node.findChild(stackName) as Stack, alarmName).Unit).toBeUndefined();
  });

  test('a name of its own changes the alarm names', () => {
    const { primary, table, primaryAlarms } = setup();
    primaryAlarms.monitorTableReplication(table, { regionRpo: Duration.minutes(15), name: 'orders' });
    alarmNamed(primary, 'dr-orders-latency-us-west-2-dev');
  });

  test('from a replica region: an alarm towards the table\'s region and towards each other replica, read by the table\'s plain name', () => {
    const { secondary, table, secondaryAlarms } = setup();
    expect(secondaryAlarms.monitorTableReplication(table, { regionRpo: Duration.minutes(15) })).toHaveLength(2);
    for (const region of ['us-east-1', 'eu-west-1']) {
      expect(alarmNamed(secondary, `dr-table-replication-latency-${region}-dev`)).toMatchObject({
        Namespace: 'AWS/DynamoDB',
        MetricName: 'ReplicationLatency',
        Dimensions: [{ Name: 'ReceivingRegion', Value: region }, { Name: 'TableName', Value: 'dr-table-dev' }],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 2,
        TreatMissingData: 'ignore',
        Threshold: 450_000,
      });
    }
    expect(alarmsOf(secondary).map((a) => a.AlarmName)).not.toContain('dr-table-replication-latency-us-west-2-dev');
  });

  test('from the DrAlarms of a region with no replica it is refused, naming the regions', () => {
    const { app, table } = setup();
    const elsewhere = new DrAlarms(new Stack(app, 'Elsewhere', { env: { account: ACCOUNT, region: 'ap-south-1' } }), 'Alarms', {
      environmentSuffix: 'dev', dashboardName: 'dr-dashboard-dev-elsewhere',
    });
    expect(() => elsewhere.monitorTableReplication(table, { regionRpo: Duration.minutes(15) }))
      .toThrow(/has replicas in us-east-1, us-west-2, eu-west-1; DynamoDB publishes its ReplicationLatency in the region that writes, and a CloudWatch alarm in ap-south-1 cannot read it/);
  });

  test('followWriterOf: each alarm is 0 while this region\'s cluster is a secondary, else the latency (missing stays missing)', () => {
    const { secondary, table, secondaryAlarms } = setup();
    const db = new AuroraGlobalSecondary(secondary, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(secondary), globalClusterIdentifier: 'dr-aurora-global-dev' });
    secondaryAlarms.monitorGlobalDatabase(db.cluster, { regionRpo: Duration.minutes(15), globalClusterIdentifier: 'dr-aurora-global-dev' });
    secondaryAlarms.monitorTableReplication(table, { regionRpo: Duration.minutes(15), followWriterOf: 'aurora-global' });
    const alarm = alarmNamed(secondary, 'dr-table-replication-latency-us-east-1-dev');
    expect(alarm.MetricName).toBeUndefined();
    expect(alarm).toMatchObject({ TreatMissingData: 'ignore', EvaluationPeriods: 2, Threshold: 450_000, ComparisonOperator: 'GreaterThanThreshold' });
    const byId = Object.fromEntries(alarm.Metrics.map((m: any) => [m.Id, m]));
    expect(byId.expr_1).toMatchObject({ Expression: 'IF(FILL(writer, 1) == 0, 0, latency)', ReturnData: true });
    expect(byId.writer.MetricStat.Metric).toMatchObject({ Namespace: 'CdkDrPlatform/AuroraGlobal', MetricName: 'ClusterIsWriter' });
    expect(byId.latency.MetricStat).toMatchObject({
      Metric: { Namespace: 'AWS/DynamoDB', MetricName: 'ReplicationLatency', Dimensions: [{ Name: 'ReceivingRegion', Value: 'us-east-1' }, { Name: 'TableName', Value: 'dr-table-dev' }] },
      Period: 60,
      Stat: 'Maximum',
    });
    expect(alarm.AlarmDescription).toMatch(/OK while this region's cluster of aurora-global is a secondary/);
  });

  test('followWriterOf must name a global database watched here first', () => {
    const { table, primaryAlarms } = setup();
    expect(() => primaryAlarms.monitorTableReplication(table, { regionRpo: Duration.minutes(15), followWriterOf: 'aurora-global' }))
      .toThrow(/`followWriterOf` must be the `name` of a global database this DrAlarms watches \(call monitorGlobalDatabase first\), got: "aurora-global"/);
  });

  test.each([
    ['zero', Duration.minutes(0)],
    ['30 seconds', Duration.seconds(30)],
  ])('a regionRpo of %s is refused', (_label, regionRpo) => {
    const { table, primaryAlarms } = setup();
    expect(() => primaryAlarms.monitorTableReplication(table, { regionRpo })).toThrow(/`regionRpo` must be a whole number of minutes from 1 to 1440/);
  });

  test('a token regionRpo is refused', () => {
    const { table, primaryAlarms } = setup();
    const regionRpo = Duration.minutes(Token.asNumber(Lazy.number({ produce: () => 15 })));
    expect(() => primaryAlarms.monitorTableReplication(table, { regionRpo })).toThrow(/`regionRpo` must be a concrete duration, not a token/);
  });
});

describe('monitorBucketReplication', () => {
  test('in the destination region: an alarm on ReplicationLatency of the rule, half the regionRpo, state kept on missing data', () => {
    const { secondary, bucket, secondaryAlarms } = setup();
    const alarms = secondaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) });
    expect(alarms).toHaveLength(1);
    expect(alarmsOf(secondary)).toHaveLength(1);
    expect(alarmNamed(secondary, 'dr-bucket-replication-latency-dev')).toMatchObject({
      Namespace: 'AWS/S3',
      MetricName: 'ReplicationLatency',
      Dimensions: [
        { Name: 'DestinationBucket', Value: DESTINATION },
        { Name: 'RuleId', Value: 'replicate-to-us-west-2' },
        { Name: 'SourceBucket', Value: `dr-data-${ACCOUNT}-us-east-1-dev` },
      ],
      Statistic: 'Maximum',
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'ignore',
      Threshold: 450,
    });
  });

  test.each([
    [Duration.minutes(15), 450],
    [Duration.minutes(30), 900],
    [Duration.hours(1), 1800],
    [Duration.hours(24), 43_200],
  ])('regionRpo %s gives a latency threshold of half of it: %d s', (regionRpo, seconds) => {
    const { secondary, bucket, secondaryAlarms } = setup();
    secondaryAlarms.monitorBucketReplication(bucket, { regionRpo });
    expect(alarmNamed(secondary, 'dr-bucket-replication-latency-dev').Threshold).toBe(seconds);
  });

  test('in the bucket\'s region: an alarm on any failed replication operation, and no latency alarm (its metric is not published there)', () => {
    const { primary, bucket, primaryAlarms } = setup();
    const alarms = primaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) });
    expect(alarms).toHaveLength(1);
    expect(alarmsOf(primary).map((a) => a.AlarmName)).toEqual(['dr-bucket-replication-failed-dev']);
    expect(alarmNamed(primary, 'dr-bucket-replication-failed-dev')).toMatchObject({
      Namespace: 'AWS/S3',
      MetricName: 'OperationsFailedReplication',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('the source region\'s dashboard graphs latency and pending work read in the destination region', () => {
    const { primary, bucket, primaryAlarms } = setup();
    primaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) });
    const body = JSON.stringify(primary.resolve(Object.values(Template.fromStack(primary).findResources('AWS::CloudWatch::Dashboard'))[0]));
    for (const metric of ['ReplicationLatency', 'OperationsPendingReplication', 'BytesPendingReplication']) {
      expect(body).toContain(metric);
    }
    expect(body).toContain('\\"region\\":\\"us-west-2\\"');
  });

  test('watching from the destination makes no reference to the primary stack: the app synthesizes with both', () => {
    const { app, secondary, bucket, primaryAlarms, secondaryAlarms, table } = setup();
    primaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) });
    primaryAlarms.monitorTableReplication(table, { regionRpo: Duration.minutes(15) });
    secondaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) });
    expect(() => app.synth()).not.toThrow();
    const json = JSON.stringify(Template.fromStack(secondary).toJSON());
    expect(json).not.toContain('Fn::ImportValue');
    expect(json).not.toContain('Fn::GetStackOutput');
    expect(secondary.dependencies).toEqual([]);
  });

  test('from a DrAlarms in a third region it is refused, naming the two regions', () => {
    const { app, bucket } = setup();
    const third = new Stack(app, 'Third', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const alarms = new DrAlarms(third, 'Alarms', { environmentSuffix: 'dev', dashboardName: 'dr-dashboard-dev-third' });
    expect(() => alarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) }))
      .toThrow(/replicates from us-east-1 to us-west-2; S3 publishes its replication metrics in those two regions only, and this DrAlarms is in eu-west-1/);
  });

  test('a bucket that does not replicate is refused', () => {
    const { primary, primaryAlarms } = setup();
    const plain = new VersionedBucket(primary, 'Plain', { environmentSuffix: 'plain' });
    expect(() => primaryAlarms.monitorBucketReplication(plain, { regionRpo: Duration.minutes(15) }))
      .toThrow(/does not replicate: give it `replication`/);
  });

  test.each([Duration.minutes(0), Duration.minutes(5), Duration.minutes(14), Duration.seconds(899)])(
    'a regionRpo of %s is refused: S3 promises nothing under 15 minutes', (regionRpo) => {
      const { bucket, primaryAlarms } = setup();
      expect(() => primaryAlarms.monitorBucketReplication(bucket, { regionRpo }))
        .toThrow(/`regionRpo` must be a whole number of minutes from 15 to 1440 \(S3 Replication Time Control replicates 99.99 % of objects within 15 minutes and promises nothing shorter\)/);
    });

  test('a bucket in a stack without an account cannot be watched from the destination: its name is not known there', () => {
    const { bucket, secondaryAlarms } = setup({ primaryEnv: { region: 'us-east-1' } });
    expect(() => secondaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) }))
      .toThrow(/is in a stack without a concrete account and region, so its name is not known in us-west-2/);
  });

  test('watching the same bucket twice on one DrAlarms is refused by its name', () => {
    const { bucket, primaryAlarms } = setup();
    primaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) });
    expect(() => primaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) })).toThrow(/`name` "bucket-replication" is already watched here/);
  });
});

describe('compliance', () => {
  test('cdk-nag four packs: the DrAlarms of both regions have zero unacknowledged findings', () => {
    const { primary, secondary, table, bucket, primaryAlarms, secondaryAlarms } = setup();
    primaryAlarms.monitorTableReplication(table, { regionRpo: Duration.minutes(15) });
    primaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) });
    secondaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) });
    expect(nagFindings(primary, primaryAlarms)).toEqual([]);
    expect(nagFindings(secondary, secondaryAlarms)).toEqual([]);
  });

  complianceTest('strict CloudFormation schema validation passes on both stacks', () => {
    const { app, table, bucket, primaryAlarms, secondaryAlarms } = setup({ validate: true });
    primaryAlarms.monitorTableReplication(table, { regionRpo: Duration.minutes(15) });
    primaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) });
    secondaryAlarms.monitorBucketReplication(bucket, { regionRpo: Duration.minutes(15) });
    expect(() => app.synth()).not.toThrow();
  });
});
