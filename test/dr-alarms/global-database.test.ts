import { Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AuroraGlobalSecondary, DrAlarms } from '../../src';
import { lagOfCluster } from '../../src/dr-alarms/global-database-monitoring';
import { acknowledgeNotInBackupPlan, isolatedVpc, nagFindings, synth, testStack } from '../util';

const ENV = { account: '111111111111', region: 'us-west-2' };

function setup(stack: Stack = testStack({ env: ENV })) {
  const secondary = new AuroraGlobalSecondary(stack, 'Secondary', {
    environmentSuffix: 'prod', vpc: isolatedVpc(stack), globalClusterIdentifier: 'dr-aurora-global-prod',
  });
  const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'prod', alarmEmails: ['oncall@example.com'] });
  return { stack, secondary, alarms };
}

describe('monitorGlobalDatabase', () => {
  test('RPO lag and replication lag alarms on the secondary cluster at half the region RPO, notifying the topic', () => {
    const { stack, secondary, alarms } = setup();
    const created = alarms.monitorGlobalDatabase(secondary, { regionRpo: Duration.minutes(5) });
    expect(created).toHaveLength(2);
    const t = Template.fromStack(stack);
    const topic = { Ref: Object.keys(t.findResources('AWS::SNS::Topic'))[0] };
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-aurora-global-rpo-lag-prod',
      Metrics: [Match.objectLike({
        Expression: 'SELECT MAX(AuroraGlobalDBRPOLag) FROM "AWS/RDS" WHERE DBClusterIdentifier = \'dr-aurora-prod\'',
        Period: 60,
        ReturnData: true,
      })],
      Threshold: 150_000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [topic],
      OKActions: [topic],
      AlarmDescription: Match.stringLikeRegexp('half of the 5 minutes region RPO'),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-aurora-global-replication-lag-prod',
      Metrics: [Match.objectLike({
        Expression: 'SELECT MAX(AuroraGlobalDBReplicationLag) FROM "AWS/RDS" WHERE DBClusterIdentifier = \'dr-aurora-prod\'',
        Period: 60,
      })],
      Threshold: 150_000,
      TreatMissingData: 'notBreaching',
    });
    expect(alarms.alarms).toEqual(expect.arrayContaining(created));
  });

  test('each lag alarm reads every dimension set RDS may publish the metric under: no fixed dimensions, no SCHEMA, one series', () => {
    const { stack, secondary, alarms } = setup();
    alarms.monitorGlobalDatabase(secondary, { regionRpo: Duration.minutes(5) });
    const lagAlarms = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(lagAlarms).toHaveLength(2);
    const metrics = new Set<string>();
    for (const alarm of lagAlarms) {
      // Not a single metric with one dimension set ...
      expect(alarm.Dimensions).toBeUndefined();
      expect(alarm.MetricName).toBeUndefined();
      expect(alarm.Metrics).toHaveLength(1);
      const query: string = alarm.Metrics[0].Expression;
      // ... nor a SEARCH (alarms cannot evaluate one) nor a SCHEMA (one dimension set only).
      expect(query).not.toMatch(/SEARCH|SCHEMA/i);
      const parsed = query.match(/^SELECT MAX\((AuroraGlobalDB(?:RPO|Replication)Lag)\) FROM "AWS\/RDS" WHERE DBClusterIdentifier = '([^']+)'$/);
      expect(parsed).not.toBeNull();
      expect(parsed![2]).toBe(secondary.clusterIdentifier);
      metrics.add(parsed![1]);
    }
    expect([...metrics].sort()).toEqual(['AuroraGlobalDBRPOLag', 'AuroraGlobalDBReplicationLag']);
  });

  test.each(["dr-aurora-prod' OR '1'='1", 'a"b', 'x y'])('a cluster identifier %j cannot be spliced into the query', (identifier) => {
    expect(() => lagOfCluster('AuroraGlobalDBRPOLag', identifier, Duration.minutes(1), 'lag')).toThrow('not an Aurora cluster identifier');
  });

  test.each([
    [Duration.minutes(1), 30_000],
    [Duration.minutes(3), 90_000],
    [Duration.minutes(15), 450_000],
    [Duration.hours(1), 1_800_000],
  ])('a region RPO of %s alarms at %p ms', (regionRpo, threshold) => {
    const { stack, secondary, alarms } = setup();
    alarms.monitorGlobalDatabase(secondary, { regionRpo });
    const thresholds = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties.Threshold);
    expect(thresholds).toEqual([threshold, threshold]);
  });

  test('a dashboard widget graphs both lags with the alarm threshold and the RPO', () => {
    const { stack, secondary, alarms } = setup();
    alarms.monitorGlobalDatabase(secondary, { regionRpo: Duration.minutes(1) });
    const body = JSON.stringify(stack.resolve((Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'))[0] as any).Properties.DashboardBody));
    expect(body).toContain('AuroraGlobalDBRPOLag');
    expect(body).toContain('AuroraGlobalDBReplicationLag');
    expect(body).toContain('alarm (half the region RPO)');
    expect(body).toMatch(/\\"value\\":30000/);
    expect(body).toMatch(/\\"value\\":60000/);
  });

  test('a name of its own', () => {
    const { stack, secondary, alarms } = setup();
    alarms.monitorGlobalDatabase(secondary, { regionRpo: Duration.minutes(1), name: 'ledger' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'dr-ledger-rpo-lag-prod' });
  });

  test.each([
    ['1 second', Duration.seconds(1), /`regionRpo` must be a whole number of minutes from 1 to 1440.*got: 1 second/],
    ['zero', Duration.seconds(0), /`regionRpo` must be a whole number of minutes from 1 /],
    ['90 seconds', Duration.seconds(90), /`regionRpo` must be a whole number of minutes/],
    ['more than a day', Duration.days(2), /`regionRpo` must be a whole number of minutes from 1 to 1440.*got: 2 days/],
    ['a token', Duration.minutes(Token.asNumber({ Ref: 'Rpo' })), /`regionRpo` must be a concrete duration, not a token: the lag alarms' thresholds and the region-loss coverage are computed from it at synth/],
  ])('rejects a region RPO of %s', (_name, regionRpo, message) => {
    const { secondary, alarms } = setup();
    expect(() => alarms.monitorGlobalDatabase(secondary, { regionRpo })).toThrow(message);
  });

  test('rejects watching the same global database twice under one name', () => {
    const { secondary, alarms } = setup();
    alarms.monitorGlobalDatabase(secondary, { regionRpo: Duration.minutes(1) });
    expect(() => alarms.monitorGlobalDatabase(secondary, { regionRpo: Duration.minutes(1) })).toThrow(/`name` "aurora-global" is already watched here/);
  });

  test('zero unacknowledged cdk-nag findings and strict schema validation', () => {
    const { stack, secondary, alarms } = setup(testStack({ env: ENV, validate: true }));
    alarms.monitorGlobalDatabase(secondary, { regionRpo: Duration.minutes(5) });
    acknowledgeNotInBackupPlan(stack);
    expect(nagFindings(stack).filter((f) => !f.includes(' @ TestStack/Vpc/'))).toEqual([]);
    expect(() => synth(stack)).not.toThrow();
  });
});
