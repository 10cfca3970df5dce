import { App, CfnParameter, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { MultiRegionDrPlatform, MultiRegionRoutingOptions, RegionSwitch, RoutingControl, RoutingControlMode, RoutingPolicy } from '../../src';
import { DrValidationError } from '../../src/private/validation';
import { complianceTest, nagFindings, testApp } from '../util';

/** Who moves MultiRegionDrPlatform's DNS: the Region switch plan (default) or, explicitly, the health alarms. */

const ACCOUNT = '123456789012';
const PRIMARY = { account: ACCOUNT, region: 'us-east-1' };
const SECONDARY = { account: ACCOUNT, region: 'us-west-2' };

function importedZone(app: App): route53.IHostedZone {
  const zoneStack = new Stack(app, 'Zone', { env: PRIMARY });
  new CfnWaitConditionHandle(zoneStack, 'Placeholder');
  return route53.HostedZone.fromHostedZoneAttributes(zoneStack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
}

function make(routing: Partial<MultiRegionRoutingOptions>, regionSwitch?: RegionSwitch, app = testApp()) {
  const platform = new MultiRegionDrPlatform(app, 'Payments', {
    environmentSuffix: 'prod',
    primary: PRIMARY,
    secondary: SECONDARY,
    regionSwitch,
    routing: {
      hostedZone: importedZone(app),
      recordName: 'payments',
      primaryDomainName: 'payments-use1.example.com',
      secondaryDomainName: 'payments-usw2.example.com',
      ...routing,
    },
  });
  return { app, platform };
}

const props = (t: Template, type: string) => Object.values<any>(t.findResources(type)).map((r) => r.Properties);
const planOf = (t: Template) => props(t, 'AWS::ARCRegionSwitch::Plan')[0];
const dnsStep = (t: Template) => planOf(t).Workflows[0].Steps.find((s: any) => s.ExecutionBlockType === 'Route53HealthCheck');

describe.each([
  ['plan', RoutingControl.regionSwitchPlan(), RoutingPolicy.FAILOVER],
  ['plan', RoutingControl.regionSwitchPlan(), RoutingPolicy.WEIGHTED],
  ['health alarms', RoutingControl.healthAlarms(), RoutingPolicy.FAILOVER],
  ['health alarms', RoutingControl.healthAlarms(), RoutingPolicy.WEIGHTED],
])('sweep: %s x %s', (mode, control, routingPolicy) => {
  const { app, platform } = make({ control, routingPolicy });
  const assembly = app.synth();
  const template = (stack: Stack) => Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template);
  const routing = template(platform.routingStack!);
  const secondary = template(platform.secondaryStack);
  const records = props(routing, 'AWS::Route53::RecordSet');
  const byRole = (role: string) => records.find((r) => r.SetIdentifier === `${role}-${role === 'primary' ? PRIMARY.region : SECONDARY.region}`);

  test('two records, one per region, set identifiers naming the region, with the routing policy', () => {
    expect(records).toHaveLength(2);
    for (const role of ['primary', 'secondary']) {
      const record = byRole(role);
      expect(record).toBeDefined();
      expect(routingPolicy === RoutingPolicy.WEIGHTED ? record.Weight : record.Failover).toBe(
        routingPolicy === RoutingPolicy.WEIGHTED ? (role === 'primary' ? 100 : 0) : role.toUpperCase());
    }
  });

  if (mode === 'plan') {
    test('the records follow the plan\'s health checks, read weakly from the plan stack\'s outputs; no health check on an alarm', () => {
      routing.resourceCountIs('AWS::Route53::HealthCheck', 0);
      for (const [role, output] of [['primary', 'RegionSwitchPrimaryHealthCheckId'], ['secondary', 'RegionSwitchSecondaryHealthCheckId']]) {
        expect(byRole(role).HealthCheckId).toEqual({
          'Fn::GetStackOutput': { StackName: 'Payments-prod-secondary', OutputName: output, Region: SECONDARY.region },
        });
      }
      const lookupId = Object.keys(secondary.findResources('Custom::DrRegionSwitchHealthChecks'))[0];
      expect(secondary.toJSON().Outputs.RegionSwitchPrimaryHealthCheckId.Value).toEqual({ 'Fn::GetAtt': [lookupId, 'PrimaryHealthCheckId'] });
      expect(secondary.toJSON().Outputs.RegionSwitchSecondaryHealthCheckId.Value).toEqual({ 'Fn::GetAtt': [lookupId, 'SecondaryHealthCheckId'] });
      expect(JSON.stringify(routing.toJSON())).not.toMatch(/Fn::ImportValue/);
    });

    test('the plan moves the records: its DNS step names the zone, the record\'s full name and the records\' set identifiers', () => {
      expect(dnsStep(secondary).ExecutionBlockConfiguration.Route53HealthCheckConfig).toMatchObject({
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        RecordName: 'payments.example.com',
        RecordSets: [
          { RecordSetIdentifier: byRole('primary').SetIdentifier, Region: PRIMARY.region },
          { RecordSetIdentifier: byRole('secondary').SetIdentifier, Region: SECONDARY.region },
        ],
      });
      expect(platform.regionSwitchPlan!.healthCheckLookup).toBeDefined();
    });

    test('the lookup\'s role may call exactly arc-region-switch:ListRoute53HealthChecks, on the plan\'s ARN', () => {
      const planId = Object.keys(secondary.findResources('AWS::ARCRegionSwitch::Plan'))[0];
      const statements = props(secondary, 'AWS::IAM::ManagedPolicy')
        .filter((p) => /^Reads the Route 53 health checks/.test(p.Description))
        .flatMap((p) => p.PolicyDocument.Statement);
      expect(statements.filter((st) => JSON.stringify(st.Action).includes('arc-region-switch'))).toEqual([
        { Effect: 'Allow', Action: 'arc-region-switch:ListRoute53HealthChecks', Resource: { 'Fn::GetAtt': [planId, 'Arn'] } },
      ]);
    });
  } else {
    test('a CLOUDWATCH_METRIC health check on each region\'s alarm moves the records; the plan has no DNS step', () => {
      const checks = props(routing, 'AWS::Route53::HealthCheck').map((h) => h.HealthCheckConfig);
      expect(checks.map((c) => [c.Type, c.AlarmIdentifier.Name, c.AlarmIdentifier.Region, c.InsufficientDataHealthStatus]).sort()).toEqual([
        ['CLOUDWATCH_METRIC', 'dr-region-health-prod', 'us-east-1', 'Unhealthy'],
        ['CLOUDWATCH_METRIC', 'dr-region-health-prod', 'us-west-2', 'Unhealthy'],
      ]);
      expect(dnsStep(secondary)).toBeUndefined();
      secondary.resourceCountIs('Custom::DrRegionSwitchHealthChecks', 0);
      expect(secondary.toJSON().Outputs?.RegionSwitchPrimaryHealthCheckId).toBeUndefined();
    });
  }

  test('cdk-nag: zero unacknowledged findings on the routing and secondary stacks', () => {
    expect(nagFindings(platform.routingStack!)).toEqual([]);
    expect(nagFindings(platform.secondaryStack)).toEqual([]);
  });

  complianceTest('strict schema validation: any finding fails the synthesis', () => {
    expect(() => make({ control, routingPolicy }, undefined, testApp({ validate: true })).app.synth()).not.toThrow();
  });
});

describe('defaults and validation', () => {
  test('with a plan, the plan moves DNS by default', () => {
    const { platform } = make({});
    expect(platform.regionSwitchPlan!.healthCheckLookup).toBeDefined();
    expect(RoutingControl.regionSwitchPlan().mode).toBe(RoutingControlMode.REGION_SWITCH_PLAN);
  });

  test('RegionSwitch.none() with RoutingControl.healthAlarms(), chosen explicitly: alarm health checks, no plan', () => {
    const { app, platform } = make({ control: RoutingControl.healthAlarms() }, RegionSwitch.none());
    expect(platform.regionSwitchPlan).toBeUndefined();
    const routing = Template.fromJSON(app.synth().getStackArtifact(platform.routingStack!.artifactId).template);
    routing.resourceCountIs('AWS::Route53::HealthCheck', 2);
  });

  complianceTest('RegionSwitch.none() with RoutingControl.healthAlarms(): strict schema validation', () => {
    const { app } = make({ control: RoutingControl.healthAlarms() }, RegionSwitch.none(), testApp({ validate: true }));
    expect(() => app.synth()).not.toThrow();
  });

  test.each<[string, () => unknown, string]>([
    ['RegionSwitch.none() without routing.control', () => make({}, RegionSwitch.none()),
      '`routing.control` is required with `regionSwitch: RegionSwitch.none()`: without a plan only RoutingControl.healthAlarms() can move the records'],
    ['RegionSwitch.none() with the plan moving DNS', () => make({ control: RoutingControl.regionSwitchPlan() }, RegionSwitch.none()),
      '`routing.control` RoutingControl.regionSwitchPlan() needs `regionSwitch: RegionSwitch.plan()`: the records follow the plan\'s health checks, got: RegionSwitch.none()'],
    ['a routing.control that is not a RoutingControl', () => make({ control: { mode: 'REGION_SWITCH_PLAN' } as any }),
      '`routing.control` must be RoutingControl.regionSwitchPlan() or RoutingControl.healthAlarms(), got: {"mode":"REGION_SWITCH_PLAN"}'],
    ['a record name known only at deploy, with the plan', () => {
      const app = testApp();
      const stack = new Stack(app, 'Params', { env: SECONDARY });
      return make({ recordName: new CfnParameter(stack, 'Name').valueAsString }, undefined, app);
    }, '`routing.recordName` and the zone\'s name must be literals with RoutingControl.regionSwitchPlan(): the plan\'s DNS step names the record'],
  ])('%s is refused', (_name, build, message) => {
    expect(build).toThrow(DrValidationError);
    expect(build).toThrow(message);
  });

  test('a fully qualified record name goes to the plan as it is, without the trailing dot', () => {
    const { app, platform } = make({ recordName: 'Payments.Example.com.' });
    const secondary = Template.fromJSON(app.synth().getStackArtifact(platform.secondaryStack.artifactId).template);
    expect(dnsStep(secondary).ExecutionBlockConfiguration.Route53HealthCheckConfig.RecordName).toBe('payments.example.com');
    secondary.hasResourceProperties('Custom::DrRegionSwitchHealthChecks', { RecordName: 'payments.example.com', HostedZoneId: Match.anyValue() });
  });

  complianceTest('a fully qualified record name: strict schema validation', () => {
    const { app } = make({ recordName: 'Payments.Example.com.' }, undefined, testApp({ validate: true }));
    expect(() => app.synth()).not.toThrow();
  });
});
