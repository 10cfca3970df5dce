/**
 * docs/costs.md is written by `npx projen cost:table`; this keeps it in step
 * with the templates and the price file, and checks the counting on small
 * hand-built templates so a wrong multiplication fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { countLines, runsPerMonth, StackTemplate } from '../scripts/cost-count';
import { ConfigurationTemplates, COSTS_PAGE, costTable, loadPrices, PriceFile, referenceTemplates, totals } from '../scripts/cost-table';

const prices = loadPrices();
const H = prices.hoursPerMonth;

/** One stack in us-east-1 holding `resources`. */
function stack(resources: Record<string, any>, region = 'us-east-1'): StackTemplate {
  return { stack: 'Test', region, template: { Resources: resources } };
}

function interfaceEndpoint(service: string, subnets: number) {
  return {
    Type: 'AWS::EC2::VPCEndpoint',
    Properties: { VpcEndpointType: 'Interface', ServiceName: `com.amazonaws.us-east-1.${service}`, SubnetIds: Array.from({ length: subnets }, (_, i) => ({ Ref: `Subnet${i}` })) },
  };
}

function serverlessCluster(min: number, max: number, instances: number): Record<string, any> {
  const resources: Record<string, any> = {
    Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { MasterUsername: 'admin', ServerlessV2ScalingConfiguration: { MinCapacity: min, MaxCapacity: max } } },
  };
  for (let i = 0; i < instances; i++) {
    resources[`Instance${i}`] = { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Cluster' }, DBInstanceClass: 'db.serverless' } };
  }
  return resources;
}

describe('the docs page', () => {
  let configurations: ConfigurationTemplates[];
  beforeAll(() => { configurations = referenceTemplates(); }, 120_000);

  test('docs/costs.md is what scripts/cost-table.ts writes for the current templates (run `npx projen cost:table`)', () => {
    expect(fs.readFileSync(COSTS_PAGE, 'utf8')).toEqual(costTable(configurations, prices));
  });

  test('the single-region floor has its Aurora compute at 2 instances × the minimum ACUs, and the multi-region floor at 3', () => {
    const [single, multi] = configurations.map((c) => totals(countLines(c.stacks, H).fixed, prices));
    const acu = prices.prices.auroraServerlessV2AcuHour.usd!;
    expect(single.auroraCompute).toBeCloseTo(2 * 2 * H * acu, 6);
    expect(multi.auroraCompute).toBeCloseTo(3 * 8 * H * acu, 6);
    expect(multi.floor).toBeGreaterThan(single.floor);
  });

  test('the README quotes each configuration\'s floor, rounded to $10', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## What it costs'), readme.indexOf('## What is not covered'));
    const quoted = [...section.matchAll(/defaults (?:cost )?about \$([\d,]+)/g)].map((m) => Number(m[1].replace(/,/g, '')));
    const floors = configurations.map((c) => Math.round(totals(countLines(c.stacks, H).fixed, prices).floor / 10) * 10);
    expect(quoted).toEqual(floors);
  });

  test('the multi-region configuration itemizes the ARC plan, secret replica and replication lines', () => {
    const counted = countLines(configurations[1].stacks, H);
    expect(counted.fixed.map((l) => l.price)).toEqual(expect.arrayContaining(['arcRegionSwitchPlanMonth', 'secretMonth', 'interfaceEndpointAzHour', 'kmsKeyMonth']));
    expect(counted.volume.map((l) => l.price)).toEqual(expect.arrayContaining([
      'dynamodbReplicatedWriteMillion', 's3ReplicationTimeControlGb', 'interRegionTransferGb', 'backupAuroraGbMonth', 'auroraGlobalReplicatedWriteIoMillion',
    ]));
  });
});

describe('the price file', () => {
  test('every price has an AWS pricing page, a status and, unless unverified, a source', () => {
    expect(prices.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const [key, p] of Object.entries(prices.prices)) {
      expect([key, p.url]).toEqual([key, expect.stringMatching(/^https:\/\/aws\.amazon\.com\//)]);
      expect([key, p.status]).toEqual([key, expect.stringMatching(/^(aws|third-party|unverified)$/)]);
      if (p.status !== 'unverified') expect([key, p.source ?? p.status]).toEqual([key, expect.any(String)]);
      if (p.usd === null) expect([key, p.status]).toEqual([key, 'unverified']);
    }
  });

  test('an item whose price is unknown is listed but left out of the total', () => {
    // The plan's price, made unknown for the test: the rule, not today's price file.
    const unknownPlan: PriceFile = { ...prices, prices: { ...prices.prices, arcRegionSwitchPlanMonth: { ...prices.prices.arcRegionSwitchPlanMonth, usd: null, status: 'unverified' as const } } };
    const counted = countLines([stack({ Plan: { Type: 'AWS::ARCRegionSwitch::Plan', Properties: {} }, Key: { Type: 'AWS::KMS::Key', Properties: {} } })], H);
    const t = totals(counted.fixed, unknownPlan);
    expect(t.unpriced).toBe(1);
    expect(t.floor).toBeCloseTo(prices.prices.kmsKeyMonth.usd!, 6);
    const page = costTable([{ name: 'test', title: 'Test', stacks: [stack({ Plan: { Type: 'AWS::ARCRegionSwitch::Plan', Properties: {} } })] }], unknownPlan);
    expect(page).toMatch(/\| ARC Region switch plan \| 1 × 1 month = 1 plan-month × unknown \(unverified\) per plan-month \| not in the total \|/);
  });
});

describe('counting', () => {
  test('2 interface endpoints × 3 subnets are 6 endpoint-AZs, each billed every hour', () => {
    const { fixed } = countLines([stack({ A: interfaceEndpoint('ssm', 3), B: interfaceEndpoint('xray', 3) })], H);
    expect(fixed).toEqual([expect.objectContaining({ price: 'interfaceEndpointAzHour', count: 6, per: H })]);
    expect(totals(fixed, prices).floor).toBeCloseTo(6 * H * prices.prices.interfaceEndpointAzHour.usd!, 6);
  });

  test('an interface endpoint whose subnets are not a list is refused, not counted as none', () => {
    const endpoint = { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Interface', SubnetIds: { 'Fn::Split': [',', 'a,b'] } } };
    expect(() => countLines([stack({ Endpoint: endpoint })], H)).toThrow(/cannot count the subnets of interface endpoint Endpoint/);
  });

  test('a gateway endpoint has no hourly line', () => {
    const counted = countLines([stack({ S3: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Gateway', RouteTableIds: [] } } })], H);
    expect(counted.fixed).toEqual([]);
    expect(counted.uncharged).toEqual(['1 × Gateway VPC endpoints (no hourly charge)']);
  });

  test('a Serverless v2 cluster of 2 instances at a 0.5 ACU minimum is priced at 2 × 0.5 ACU every hour', () => {
    const { fixed } = countLines([stack(serverlessCluster(0.5, 8, 2))], H);
    const aurora = fixed.filter((l) => l.price === 'auroraServerlessV2AcuHour');
    expect(aurora).toEqual([expect.objectContaining({ count: 2, per: 0.5 * H })]);
    expect(totals(fixed, prices).auroraCompute).toBeCloseTo(2 * 0.5 * H * prices.prices.auroraServerlessV2AcuHour.usd!, 6);
  });

  test('a provisioned instance class with no price in the file is not summed', () => {
    const resources = serverlessCluster(1, 2, 0);
    resources.Writer = { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Cluster' }, DBInstanceClass: 'db.r7g.large' } };
    const { fixed } = countLines([stack(resources)], H);
    expect(fixed).toEqual([expect.objectContaining({ price: 'aurora:db.r7g.large', count: 1, per: H })]);
    expect(totals(fixed, prices)).toEqual(expect.objectContaining({ floor: 0, unpriced: 1 }));
  });

  test('alarms: one metric, metric math per metric, Metrics Insights, high resolution', () => {
    const stat = (name: string) => ({ Id: name.toLowerCase(), MetricStat: { Metric: { Namespace: 'AWS/Backup', MetricName: name }, Period: 3600, Stat: 'Sum' }, ReturnData: false });
    const { fixed } = countLines([stack({
      One: { Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Period: 300 } },
      Fast: { Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Period: 10 } },
      Math: { Type: 'AWS::CloudWatch::Alarm', Properties: { Metrics: [stat('A'), stat('B'), stat('C'), { Id: 'e', Expression: 'a + b + c' }] } },
      Query: { Type: 'AWS::CloudWatch::Alarm', Properties: { Metrics: [{ Id: 'q', Expression: 'SELECT MAX(AuroraGlobalDBRPOLag) FROM "AWS/RDS"', Period: 60 }] } },
      Custom: { Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: 'CdkDrPlatform/Recovery', MetricName: 'EffectiveRpo', Period: 300 } },
    })], H);
    const by = (price: string, part = 'Platform') => fixed.filter((l) => l.price === price && l.part === part).map((l) => l.count * l.per);
    expect(by('alarmMetricMonth')).toEqual([1, 3]);
    expect(by('alarmMetricMonth', 'Recovery point monitor')).toEqual([1]);
    expect(by('alarmHighResolutionMetricMonth')).toEqual([1]);
    expect(by('metricsInsightsAlarmMonth')).toEqual([1]);
    expect(by('customMetricMonth', 'Recovery point monitor')).toEqual([1]);
  });

  test('a function on a 1-minute schedule runs 60 × 730 times a month, its GB-seconds at memory × the assumed duration', () => {
    const { fixed } = countLines([stack({
      Probe: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'probe', MemorySize: 512, Architectures: ['arm64'] } },
      Every: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 minute)', Targets: [{ Arn: { 'Fn::GetAtt': ['Probe', 'Arn'] }, Id: 'T' }] } },
    })], H);
    const requests = fixed.find((l) => l.price === 'lambdaRequestMillion')!;
    const duration = fixed.find((l) => l.price === 'lambdaGbSecondArm')!;
    expect(requests.count).toBe(60 * H);
    expect(duration.count * duration.per).toBeCloseTo(60 * H * 0.5 * 2, 6);
  });

  test('routing: a Route 53 health check per region is a monthly line each', () => {
    const check = { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC' } } };
    const { fixed } = countLines([stack({ Primary: check, Secondary: check })], H);
    expect(fixed).toEqual([expect.objectContaining({ price: 'route53HealthCheckMonth', count: 2, per: 1 })]);
  });

  test('a secret with a replica is two secrets, the replica in its region', () => {
    const { fixed } = countLines([stack({ S: { Type: 'AWS::SecretsManager::Secret', Properties: { ReplicaRegions: [{ Region: 'us-west-2' }] } } })], H);
    expect(fixed.map((l) => [l.region, l.price, l.count])).toEqual([['us-east-1', 'secretMonth', 1], ['us-west-2', 'secretMonth', 1]]);
  });

  test('schedules: rate, hourly, daily and weekly cron; an expression it cannot count is refused', () => {
    expect(runsPerMonth('rate(5 minutes)', H)).toBe(H * 12);
    expect(runsPerMonth('rate(1 hour)', H)).toBe(H);
    expect(runsPerMonth('cron(0 * * * ? *)', H)).toBe(H);
    expect(runsPerMonth('cron(0 3 * * ? *)', H)).toBeCloseTo(H / 24, 6);
    expect(runsPerMonth('cron(0 3 ? * SUN *)', H)).toBeCloseTo(H / 24 / 7, 6);
    expect(() => runsPerMonth('cron(0/5 * * * ? *)', H)).toThrow(/cannot count/);
  });

  test('a price file with a higher unit price gives a proportionally higher line', () => {
    const doubled: PriceFile = { ...prices, prices: { ...prices.prices, kmsKeyMonth: { ...prices.prices.kmsKeyMonth, usd: 2 } } };
    const { fixed } = countLines([stack({ A: { Type: 'AWS::KMS::Key', Properties: {} }, B: { Type: 'AWS::KMS::Key', Properties: {} } })], H);
    expect(totals(fixed, doubled).floor).toBe(4);
  });
});
