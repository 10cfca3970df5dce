import { Duration, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FailoverRouting, FailoverRoutingProps, ProtectedResource, RegionHealthCheck, RoutedRegion, RoutingPolicy } from '../../src';
import { attempt, DurationInput, durationInputs, TOKEN_REF } from '../sweeps/harness';
import { complianceTest, isolatedVpc, nagFindings, synth, testApp, testStack } from '../util';

const ENV = { account: '123456789012', region: 'us-west-2' };
const PRIMARY: RoutedRegion = { region: 'us-east-1', healthAlarmName: 'dr-region-health-prod', domainName: 'payments-use1.example.net' };
const SECONDARY: RoutedRegion = { region: 'us-west-2', healthAlarmName: 'dr-region-health-prod', domainName: 'payments-usw2.example.net' };

function routing(overrides: Partial<FailoverRoutingProps> = {}, stack: Stack = testStack({ env: ENV })) {
  const hostedZone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  const construct = new FailoverRouting(stack, 'Routing', { hostedZone, recordName: 'payments', primary: PRIMARY, secondary: SECONDARY, ...overrides });
  return { stack, construct, t: Template.fromStack(stack) };
}
const records = (t: Template) => Object.values(t.findResources('AWS::Route53::RecordSet')).map((r: any) => r.Properties);

describe('defaults (failover)', () => {
  const { stack, construct, t } = routing();

  test('one CLOUDWATCH_METRIC health check per region, on that region\'s alarm, unhealthy without data', () => {
    t.resourceCountIs('AWS::Route53::HealthCheck', 2);
    for (const region of [PRIMARY, SECONDARY]) {
      t.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: {
          Type: 'CLOUDWATCH_METRIC',
          AlarmIdentifier: { Name: region.healthAlarmName, Region: region.region },
          InsufficientDataHealthStatus: 'Unhealthy',
          Inverted: false,
        },
      });
    }
  });

  test('two CNAME records, PRIMARY and SECONDARY, each with its region\'s health check, TTL 60', () => {
    const [primary, secondary] = ['PRIMARY', 'SECONDARY'].map((f) => records(t).find((r) => r.Failover === f));
    const healthCheckId = (id: string) => ({ Ref: Object.keys(t.findResources('AWS::Route53::HealthCheck')).find((k) => k.startsWith(id)) });
    expect(primary).toMatchObject({
      Name: 'payments.example.com.',
      Type: 'CNAME',
      TTL: '60',
      ResourceRecords: [PRIMARY.domainName],
      SetIdentifier: 'primary-us-east-1',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      HealthCheckId: healthCheckId('RoutingPrimaryHealthCheck'),
    });
    expect(secondary).toMatchObject({
      Name: 'payments.example.com.',
      Type: 'CNAME',
      TTL: '60',
      ResourceRecords: [SECONDARY.domainName],
      SetIdentifier: 'secondary-us-west-2',
      HealthCheckId: healthCheckId('RoutingSecondaryHealthCheck'),
    });
    for (const r of records(t)) expect(r.Weight).toBeUndefined();
    expect(construct.routingPolicy).toBe(RoutingPolicy.FAILOVER);
    expect(construct.ttl.toSeconds()).toBe(60);
  });

  test('no record is created or changed by anything but the deployment: no custom resource, no function', () => {
    expect(Object.keys(t.findResources('Custom::Route53RecordSet'))).toHaveLength(0);
    t.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('zero unacknowledged cdk-nag findings (four packs)', () => {
    expect(nagFindings(stack, construct)).toEqual([]);
  });
});

describe('overrides', () => {
  test('weighted: 100 / 0 by default, so the secondary answers only when the primary is unhealthy', () => {
    const { t } = routing({ routingPolicy: RoutingPolicy.WEIGHTED });
    const byId = Object.fromEntries(records(t).map((r) => [r.SetIdentifier, r]));
    expect(byId['primary-us-east-1']).toMatchObject({ Weight: 100, HealthCheckId: expect.anything() });
    expect(byId['secondary-us-west-2']).toMatchObject({ Weight: 0, HealthCheckId: expect.anything() });
    for (const r of records(t)) expect(r.Failover).toBeUndefined();
  });

  test('weighted with weights of the caller\'s choosing', () => {
    const { t } = routing({ routingPolicy: RoutingPolicy.WEIGHTED, primary: { ...PRIMARY, weight: 0 }, secondary: { ...SECONDARY, weight: 255 } });
    expect(records(t).map((r) => r.Weight).sort()).toEqual([0, 255]);
  });

  test('a fully qualified record name, a TTL of 0, a private hosted zone', () => {
    const stack = testStack({ env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const hostedZone = new route53.PrivateHostedZone(stack, 'Private', { zoneName: 'internal.example', vpc });
    new FailoverRouting(stack, 'Routing', {
      hostedZone, recordName: 'api.internal.example.', ttl: Duration.seconds(0), primary: PRIMARY, secondary: SECONDARY,
    });
    const t = Template.fromStack(stack);
    for (const r of records(t)) expect(r).toMatchObject({ Name: 'api.internal.example.', TTL: '0', HostedZoneId: { Ref: expect.stringMatching(/^Private/) } });
  });

  test('a wildcard name and names with underscores are allowed', () => {
    expect(records(routing({ recordName: '*.payments' }).t)[0].Name).toBe('*.payments.example.com.');
    expect(records(routing({ recordName: '_svc.payments' }).t)[0].Name).toBe('_svc.payments.example.com.');
  });
});

const HC_PRIMARY = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
const HC_SECONDARY = '1b1c2d3e-4f50-6172-8394-a5b6c7d8e9f1';
/** Each region following a given health check (a Region switch plan's) instead of an alarm. */
const byId = (region: RoutedRegion, healthCheckId: string): RoutedRegion => ({ region: region.region, domainName: region.domainName, healthCheckId });

/** {given health checks, health alarms, mixed} x {FAILOVER, WEIGHTED}. */
const cases = [RoutingPolicy.FAILOVER, RoutingPolicy.WEIGHTED].flatMap((routingPolicy) => [
  { mode: 'given ids', routingPolicy, primary: byId(PRIMARY, HC_PRIMARY), secondary: byId(SECONDARY, HC_SECONDARY) },
  { mode: 'alarms', routingPolicy, primary: PRIMARY, secondary: SECONDARY },
  // Mixed: the construct takes each region on its own.
  { mode: 'mixed', routingPolicy, primary: byId(PRIMARY, HC_PRIMARY), secondary: SECONDARY },
]);

describe('sweep: {given health checks, health alarms} x {FAILOVER, WEIGHTED}', () => {
  test.each(cases)('$mode, $routingPolicy: each record follows its region\'s health check; set identifiers name the region', ({ routingPolicy, primary, secondary }) => {
    const stack = testStack({ env: ENV });
    const { construct, t } = routing({ routingPolicy, primary, secondary }, stack);
    const alarmChecks = [primary, secondary].filter((r) => r.healthAlarmName !== undefined).length;
    t.resourceCountIs('AWS::Route53::HealthCheck', alarmChecks);
    const byRole = (role: 'primary' | 'secondary') => records(t).find((r) => r.SetIdentifier === `${role}-${(role === 'primary' ? primary : secondary).region}`);
    for (const [role, region] of [['primary', primary], ['secondary', secondary]] as const) {
      const record = byRole(role);
      expect(record).toBeDefined();
      expect(record.SetIdentifier).toContain(region.region);
      if (region.healthCheckId) {
        expect(record.HealthCheckId).toBe(region.healthCheckId);
      } else {
        expect(record.HealthCheckId).toEqual({ Ref: expect.stringMatching(role === 'primary' ? /^RoutingPrimaryHealthCheck/ : /^RoutingSecondaryHealthCheck/) });
      }
      expect(routingPolicy === RoutingPolicy.WEIGHTED ? record.Weight : record.Failover).toBe(
        routingPolicy === RoutingPolicy.WEIGHTED ? (role === 'primary' ? 100 : 0) : role.toUpperCase());
    }
    expect(stack.resolve(construct.primaryHealthCheck.healthCheckId)).toEqual(byRole('primary').HealthCheckId);
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('strict schema validation', () => {
  complianceTest.each(cases)('synthesizes in strict mode: $mode, $routingPolicy', ({ routingPolicy, primary, secondary }) => {
    const stack = testStack({ validate: true, env: ENV });
    routing({ routingPolicy, primary, secondary }, stack);
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('validation', () => {
  const token = Token.asString({ Ref: 'Region' });
  test.each<[string, Partial<FailoverRoutingProps>, string]>([
    ['the zone apex, relative', { recordName: 'example.com' }, '`recordName` must not be the zone apex "example.com": the records are CNAMEs'],
    ['the zone apex, qualified', { recordName: 'example.com.' }, '`recordName` must not be the zone apex'],
    ['the apex in capitals', { recordName: 'EXAMPLE.COM.' }, '`recordName` must not be the zone apex'],
    ['a name outside the zone', { recordName: 'payments.example.org.' }, '`recordName` must be a name inside the zone "example.com", got: "payments.example.org."'],
    ['an empty name', { recordName: '' }, '`recordName` must be 1 to 253 characters long'],
    ['a label with a leading hyphen', { recordName: '-payments' }, '`recordName` must be dot-separated labels'],
    ['an empty label', { recordName: 'a..b' }, '`recordName` must be dot-separated labels'],
    ['a 64-character label', { recordName: 'a'.repeat(64) }, '`recordName` must be dot-separated labels of 1 to 63'],
    ['a wildcard inside the name', { recordName: 'pay*.x' }, '`recordName` must be dot-separated labels'],
    ['a name too long', { recordName: Array(64).fill('abc').join('.') }, '`recordName` must be 1 to 253 characters long'],
    ['the same region twice', { secondary: { ...SECONDARY, region: 'us-east-1' } }, '`primary.region` and `secondary.region` must differ'],
    ['an unknown region', { primary: { ...PRIMARY, region: 'us-east-9' } }, '`primary.region` must be an AWS region code such as us-east-1, got: "us-east-9"'],
    ['a token region', { secondary: { ...SECONDARY, region: token } }, '`secondary.region` must be a concrete region code'],
    ['an empty alarm name', { primary: { ...PRIMARY, healthAlarmName: '' } }, '`primary.healthAlarmName` must be a CloudWatch alarm name of 1 to 255'],
    ['an alarm name too long', { secondary: { ...SECONDARY, healthAlarmName: 'a'.repeat(256) } }, '`secondary.healthAlarmName` must be a CloudWatch alarm name'],
    ['a bad target name', { primary: { ...PRIMARY, domainName: 'https://payments.example.net' } }, '`primary.domainName` must be dot-separated labels'],
    ['the same target twice', { secondary: { ...SECONDARY, domainName: 'PAYMENTS-USE1.example.net.' } }, '`primary.domainName` and `secondary.domainName` must differ'],
    ['a weight with failover records', { primary: { ...PRIMARY, weight: 10 } }, '`primary.weight` applies to RoutingPolicy.WEIGHTED only, got: 10 with RoutingPolicy.FAILOVER'],
    ['a weight above 255', { routingPolicy: RoutingPolicy.WEIGHTED, primary: { ...PRIMARY, weight: 256 } }, '`primary.weight` must be a whole number from 0 to 255, got: 256'],
    ['a negative weight', { routingPolicy: RoutingPolicy.WEIGHTED, secondary: { ...SECONDARY, weight: -1 } }, '`secondary.weight` must be a whole number from 0 to 255, got: -1'],
    ['a fractional weight', { routingPolicy: RoutingPolicy.WEIGHTED, secondary: { ...SECONDARY, weight: 0.5 } }, '`secondary.weight` must be a whole number'],
    ['both weights 0', { routingPolicy: RoutingPolicy.WEIGHTED, primary: { ...PRIMARY, weight: 0 } }, '`primary.weight` and `secondary.weight` must not both be 0'],
    ['an alarm and a health check id for one region', { primary: { ...PRIMARY, healthCheckId: HC_PRIMARY } },
      '`primary.healthAlarmName` and `primary.healthCheckId` are exclusive: the record follows either a health check on the alarm or the given one, got: both'],
    ['neither an alarm nor a health check id', { secondary: { region: 'us-west-2', domainName: 'x.example.net' } },
      '`secondary.healthAlarmName` or `secondary.healthCheckId` is required: a failover or weighted record needs a health check to follow, got: neither'],
    ['a health check id that is not one', { secondary: { region: 'us-west-2', domainName: 'x.example.net', healthCheckId: 'hc-123' } },
      '`secondary.healthCheckId` must be a Route 53 health check id (a UUID such as 0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0), got: "hc-123"'],
    ['a TTL over a day', { ttl: Duration.seconds(86_401) }, '`ttl` must be a whole number of seconds from 0 to 86400 (an answer cached for longer than a day'],
    ['a fractional TTL', { ttl: Duration.millis(1500) }, '`ttl` must be a whole number of seconds'],
  ])('%s is refused', (_name, overrides, message) => {
    expect(() => routing(overrides)).toThrow(message);
  });

  test('a zone imported by id alone is refused, naming hostedZone: the records need its name', () => {
    const stack = testStack({ env: ENV });
    const hostedZone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', 'Z0123456789ABCDEFGHIJ');
    expect(() => new FailoverRouting(stack, 'Routing', { hostedZone, recordName: 'payments', primary: PRIMARY, secondary: SECONDARY }))
      .toThrow(/^`hostedZone` must carry its zone name: import it with HostedZone.fromHostedZoneAttributes.*got: a zone imported by id only \(Z0123456789ABCDEFGHIJ\)/);
  });

  test('a zone imported by id alone: a malformed name is refused first', () => {
    const stack = testStack({ env: ENV });
    const hostedZone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', 'Z0123456789ABCDEFGHIJ');
    expect(() => new FailoverRouting(stack, 'Bad', { hostedZone, recordName: 'a..b', primary: PRIMARY, secondary: SECONDARY }))
      .toThrow('`recordName` must be dot-separated labels');
  });
});

describe('ttl sweep: tokens in every unit, fractions, zero, bounds and huge values', () => {
  complianceTest.each(durationInputs('seconds', 0, 86_400).map((input) => [input.label, input] as [string, DurationInput]))('%s', (_label, input) => {
    const amount = input.amountIn('seconds');
    const expectAccepted = amount === undefined ? input.tokenUnit === 'seconds' : Number.isInteger(amount) && amount >= 0 && amount <= 86_400;
    const verdict = attempt((stack) => routing({ ttl: input.make(stack) }, stack));
    if (verdict.accepted) {
      expect(expectAccepted).toBe(true);
      const ttls = Object.values(verdict.template.Resources).filter((r: any) => r.Type === 'AWS::Route53::RecordSet').map((r: any) => r.Properties.TTL);
      // Route 53 takes the TTL in seconds; aws-cdk-lib writes it as a string.
      expect(ttls).toEqual(amount === undefined ? [TOKEN_REF, TOKEN_REF] : [String(amount), String(amount)]);
    } else {
      expect(expectAccepted).toBe(false);
      expect(verdict.message).toContain('`ttl`');
      expect(verdict.message).toContain(amount === undefined ? '<token>' : input.make(new Stack()).toHumanString());
    }
  });
});

describe('two regions and a routing stack', () => {
  test('the routing stack names each region\'s alarm by its deterministic name: no cross-region reference', () => {
    const app = testApp();
    const alarmNames: Record<string, string> = {};
    for (const region of ['us-east-1', 'us-west-2']) {
      const stack = new Stack(app, `Region-${region}`, { env: { account: '123456789012', region } });
      const bucket = s3.Bucket.fromBucketName(stack, 'Data', `dr-data-123456789012-${region}-prod`);
      alarmNames[region] = new RegionHealthCheck(stack, 'Health', { environmentSuffix: 'prod', vpc: isolatedVpc(stack), bucket: ProtectedResource.fromBucket(bucket) }).alarmName;
    }
    const routingStack = new Stack(app, 'Routing', { env: { account: '123456789012', region: 'us-west-2' } });
    const hostedZone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(routingStack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    new FailoverRouting(routingStack, 'Routing', {
      hostedZone,
      recordName: 'payments',
      primary: { ...PRIMARY, healthAlarmName: alarmNames['us-east-1'] },
      secondary: { ...SECONDARY, healthAlarmName: alarmNames['us-west-2'] },
    });
    const assembly = app.synth();
    const template = assembly.getStackByName('Routing').template;
    const json = JSON.stringify(template.Resources);
    for (const reference of ['Fn::ImportValue', 'Fn::GetStackOutput']) expect(json).not.toContain(reference);
    // Nothing but the health checks and records: no export reader, no custom resource.
    expect([...new Set(Object.values(template.Resources).map((r: any) => r.Type))].sort()).toEqual(['AWS::Route53::HealthCheck', 'AWS::Route53::RecordSet']);
    const alarms = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::Route53::HealthCheck')
      .map((r: any) => r.Properties.HealthCheckConfig.AlarmIdentifier);
    expect(alarms).toEqual([{ Name: 'dr-region-health-prod', Region: 'us-east-1' }, { Name: 'dr-region-health-prod', Region: 'us-west-2' }]);
    // Each region stack made the alarm the routing stack names.
    for (const region of ['us-east-1', 'us-west-2']) {
      const regional = assembly.getStackByName(`Region-${region}`).template;
      expect(Object.values(regional.Resources).some((r: any) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.AlarmName === 'dr-region-health-prod')).toBe(true);
    }
    // No stack dependency on either region: only its own asset manifest.
    expect(assembly.getStackByName('Routing').dependencies.map((d) => d.id)).toEqual(['Routing.assets']);
  });
});
