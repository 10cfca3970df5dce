import { App, CfnWaitConditionHandle, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AuroraClusterOptions, HandlerRuntime, MultiRegionDrPlatform, MultiRegionDrPlatformProps, RestoreDrills, VersionedBucketBaseOptions } from '../../src';
import * as nag from '../../src/private/nag';
import { complianceTest, missingEndpoints, nagFindings, testApp } from '../util';

/** The newest Node.js runtime this aws-cdk-lib declares: cdk-nag's AwsSolutions-L1 flags any other. */
const NEWEST_NODE = HandlerRuntime.newestNodejs(testApp());

const ACCOUNT = '123456789012';
const PRIMARY = { account: ACCOUNT, region: 'us-east-1' };
const SECONDARY = { account: ACCOUNT, region: 'us-west-2' };
const code = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })');

function make(props: Partial<MultiRegionDrPlatformProps> = {}, app = testApp()) {
  const platform = new MultiRegionDrPlatform(app, 'Payments', {
    environmentSuffix: 'prod', primary: PRIMARY, secondary: SECONDARY, ...props,
  });
  return { app, platform };
}

/**
 * A hosted zone imported by id and name, as the routing option wants it, in a
 * stack of its own (a stack needs a resource to be valid: a no-op handle).
 */
function importedZone(app: App): route53.IHostedZone {
  const zoneStack = new Stack(app, 'Zone', { env: PRIMARY });
  new CfnWaitConditionHandle(zoneStack, 'Placeholder');
  return route53.HostedZone.fromHostedZoneAttributes(zoneStack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
}

/** Synthesizes once and reads every stack's template from the assembly. */
function synthesize(app: App, platform: MultiRegionDrPlatform) {
  const assembly = app.synth();
  const template = (stack: Stack) => Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template);
  return {
    assembly,
    foundation: template(platform.secondaryFoundationStack),
    primary: template(platform.primaryStack),
    secondary: template(platform.secondaryStack),
    routing: platform.routingStack && template(platform.routingStack),
  };
}

const resources = (t: Template, type: string) => Object.values<any>(t.findResources(type));
const props = (t: Template, type: string) => resources(t, type).map((r) => r.Properties);

/** The stacks of the assembly in an order that respects their dependencies; throws on a cycle. */
function deployOrder(assembly: CloudAssembly): string[] {
  const stacks = assembly.stacks;
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`dependency cycle through ${id}`);
    state.set(id, 'visiting');
    const stack = stacks.find((s) => s.id === id)!;
    for (const dep of stack.dependencies) {
      if (stacks.some((s) => s.id === dep.id)) visit(dep.id);
    }
    state.set(id, 'done');
    order.push(stack.stackName);
  };
  for (const s of stacks) visit(s.id);
  return order;
}

/** Every `Fn::ImportValue`, `Fn::GetStackOutput` and export custom resource in a template. */
function crossStackValues(template: any) {
  const text = JSON.stringify(template);
  return {
    imports: [...text.matchAll(/"Fn::ImportValue":"([^"]+)"/g)].map((m) => m[1]),
    weak: (text.match(/"Fn::GetStackOutput"/g) ?? []).length,
    exportResources: Object.values<any>(template.Resources ?? {}).map((r) => r.Type)
      .filter((t: string) => /CrossRegion|ExportWriter|ExportReader/.test(t)),
  };
}

describe('defaults', () => {
  let platform: MultiRegionDrPlatform;
  let t: ReturnType<typeof synthesize>;
  beforeAll(() => {
    const made = make();
    platform = made.platform;
    platform.addFunction('Processor', { code, handler: 'index.handler', runtime: NEWEST_NODE });
    t = synthesize(made.app, platform);
  });

  describe('the assembly', () => {
    test('three stacks named {id}-{suffix}-{role}, each in its region', () => {
      expect(t.assembly.stacks.map((s) => [s.stackName, s.environment.account, s.environment.region]).sort()).toEqual([
        ['Payments-prod-primary', ACCOUNT, 'us-east-1'],
        ['Payments-prod-secondary', ACCOUNT, 'us-west-2'],
        ['Payments-prod-secondary-foundation', ACCOUNT, 'us-west-2'],
      ]);
      expect(platform.routingStack).toBeUndefined();
    });

    test('dependencies give the deploy order foundation, primary, secondary, with no cycle', () => {
      expect(deployOrder(t.assembly)).toEqual(['Payments-prod-secondary-foundation', 'Payments-prod-primary', 'Payments-prod-secondary']);
      const deps = (stack: Stack) => t.assembly.getStackArtifact(stack.artifactId).dependencies.map((d) => d.id).filter((id) => !id.endsWith('.assets')).sort();
      expect(deps(platform.secondaryFoundationStack)).toEqual([]);
      expect(deps(platform.primaryStack)).toEqual([platform.secondaryFoundationStack.artifactId]);
      expect(deps(platform.secondaryStack)).toEqual([platform.primaryStack.artifactId, platform.secondaryFoundationStack.artifactId].sort());
    });

    test('no value crosses regions: the primary imports nothing, the secondary imports only the foundation (same region), no export custom resources', () => {
      const foundationExports = Object.values<any>(t.foundation.toJSON().Outputs ?? {}).map((o) => o.Export?.Name).filter(Boolean);
      const primary = crossStackValues(t.primary.toJSON());
      const secondary = crossStackValues(t.secondary.toJSON());
      expect(primary).toEqual({ imports: [], weak: 0, exportResources: [] });
      expect(secondary.weak).toBe(0);
      expect(secondary.exportResources).toEqual([]);
      expect(secondary.imports.length).toBeGreaterThan(0);
      for (const name of secondary.imports) expect(foundationExports).toContain(name);
      expect(crossStackValues(t.foundation.toJSON())).toEqual({ imports: [], weak: 0, exportResources: [] });
    });

    test('Environment and DR-Role tags on every tagged resource: primary in the primary region, secondary in the secondary region', () => {
      for (const [template, role] of [[t.foundation, 'secondary'], [t.primary, 'primary'], [t.secondary, 'secondary']] as const) {
        const tagged = Object.entries<any>(template.toJSON().Resources).filter(([, r]) => Array.isArray(r.Properties?.Tags));
        expect(tagged.length).toBeGreaterThan(10);
        for (const [id, r] of tagged) {
          const tags = Object.fromEntries(r.Properties.Tags.map((tag: any) => [tag.Key, tag.Value]));
          expect([id, tags.Environment, tags['DR-Role']]).toEqual([id, 'prod', role]);
        }
      }
    });

    test('the table\'s replica in the secondary region is tagged DR-Role secondary; the primary\'s replica keeps primary', () => {
      const replicas = props(t.primary, 'AWS::DynamoDB::GlobalTable')[0].Replicas;
      const roles = replicas.map((r: any) => {
        const tags = Object.fromEntries(r.Tags.map((tag: any) => [tag.Key, tag.Value]));
        return [r.Region, tags.Environment, tags['DR-Role']];
      });
      expect(roles.sort()).toEqual([['us-east-1', 'prod', 'primary'], ['us-west-2', 'prod', 'secondary']]);
    });
  });

  describe('secondary foundation', () => {
    test('one regional key per store with rotation on, under the aliases the primary derives', () => {
      const aliases = props(t.foundation, 'AWS::KMS::Alias').map((a) => a.AliasName).sort();
      expect(aliases).toEqual(expect.arrayContaining([
        'alias/dr-aurora-prod', 'alias/dr-backup-copy-prod', 'alias/dr-data-prod', 'alias/dr-platform-prod', 'alias/dr-table-prod',
      ]));
      for (const key of props(t.foundation, 'AWS::KMS::Key')) expect(key.EnableKeyRotation).toBe(true);
    });

    test('a VPC of 10.1.0.0/16 over 3 AZs, no NAT, S3 and DynamoDB gateway endpoints, encrypted flow logs', () => {
      t.foundation.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.1.0.0/16' });
      t.foundation.resourceCountIs('AWS::EC2::NatGateway', 0);
      expect(new Set(props(t.foundation, 'AWS::EC2::Subnet').map((s) => JSON.stringify(s.AvailabilityZone))).size).toBe(3);
      expect(props(t.foundation, 'AWS::EC2::VPCEndpoint').filter((e) => e.VpcEndpointType === 'Gateway')).toHaveLength(2);
      t.foundation.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/dr/prod/vpc-flow-logs', KmsKeyId: Match.anyValue() });
    });

    test('the copy vault dr-copy-vault-prod, locked, and the replica bucket named for the secondary region, versioned', () => {
      t.foundation.hasResourceProperties('AWS::Backup::BackupVault', { BackupVaultName: 'dr-copy-vault-prod', LockConfiguration: Match.anyValue() });
      t.foundation.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: `dr-data-${ACCOUNT}-us-west-2-prod`, VersioningConfiguration: { Status: 'Enabled' },
      });
    });
  });

  describe('primary', () => {
    test('an Aurora global database: the global cluster, encrypted with deletion protection, and the primary cluster joining it', () => {
      t.primary.hasResourceProperties('AWS::RDS::GlobalCluster', {
        GlobalClusterIdentifier: 'dr-aurora-global-prod', StorageEncrypted: true, DeletionProtection: true,
      });
      const cluster = props(t.primary, 'AWS::RDS::DBCluster')[0];
      expect(cluster.GlobalClusterIdentifier).toBeDefined();
      expect(cluster.ManageMasterUserPassword).toBeUndefined();
      expect(cluster.DeletionProtection).toBe(true);
      expect(cluster.StorageEncrypted).toBe(true);
    });

    test('the credentials secret is replicated to the secondary region under that region\'s Aurora key', () => {
      const secret = props(t.primary, 'AWS::SecretsManager::Secret').find((x) => x.Name === 'dr-aurora-prod-credentials');
      expect(secret.ReplicaRegions).toHaveLength(1);
      expect(secret.ReplicaRegions[0].Region).toBe('us-west-2');
      expect(JSON.stringify(secret.ReplicaRegions[0].KmsKeyId)).toMatch(/:kms:us-west-2:123456789012:alias\/dr-aurora-prod/);
    });

    test('a global table with a replica in the secondary region: PITR and deletion protection on every replica, each region\'s key', () => {
      const table = props(t.primary, 'AWS::DynamoDB::GlobalTable')[0];
      expect(table.TableName).toBe('dr-table-prod');
      expect(table.Replicas.map((r: any) => r.Region).sort()).toEqual(['us-east-1', 'us-west-2']);
      for (const r of table.Replicas) {
        expect(r.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
        expect(r.DeletionProtectionEnabled).toBe(true);
        expect(r.SSESpecification.KMSMasterKeyId).toBeDefined();
      }
      const west = table.Replicas.find((r: any) => r.Region === 'us-west-2');
      expect(JSON.stringify(west.SSESpecification.KMSMasterKeyId)).toContain('alias/dr-table-prod');
    });

    test('the bucket replicates to the replica bucket: SSE-KMS with the replica key, RTC and metrics, delete markers', () => {
      const bucket = props(t.primary, 'AWS::S3::Bucket').find((b) => b.ReplicationConfiguration);
      const rule = bucket.ReplicationConfiguration.Rules[0];
      expect(JSON.stringify(rule.Destination.Bucket)).toContain(`dr-data-${ACCOUNT}-us-west-2-prod`);
      expect(rule.Destination.ReplicationTime.Status).toBe('Enabled');
      expect(rule.Destination.Metrics.Status).toBe('Enabled');
      expect(rule.DeleteMarkerReplication.Status).toBe('Enabled');
      expect(rule.SourceSelectionCriteria.SseKmsEncryptedObjects.Status).toBe('Enabled');
      expect(JSON.stringify(rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID)).toContain('us-west-2');
    });

    test('every backup rule copies to the copy vault in the secondary region, by ARN', () => {
      const plan = props(t.primary, 'AWS::Backup::BackupPlan')[0].BackupPlan;
      const snapshotRules = plan.BackupPlanRule.filter((r: any) => !r.EnableContinuousBackup);
      expect(snapshotRules.length).toBeGreaterThan(0);
      for (const rule of snapshotRules) {
        expect(JSON.stringify(rule.CopyActions)).toContain(':backup:us-west-2:123456789012:backup-vault:dr-copy-vault-prod');
      }
    });

    test('replication alarms on the table and the bucket at half the region RPO; a copy-job alarm', () => {
      const alarms = props(t.primary, 'AWS::CloudWatch::Alarm');
      // The table's latency follows the global database's writer: metric math over the role and the latency.
      const latency = alarms.find((a) => (a.Metrics ?? []).some((m: any) => m.MetricStat?.Metric.MetricName === 'ReplicationLatency'));
      expect(latency.Threshold).toBe(7.5 * 60 * 1000);
      expect(alarms.some((a) => a.Namespace === 'AWS/S3' && /Replication/.test(a.MetricName ?? JSON.stringify(a.Metrics)))).toBe(true);
      expect(alarms.some((a) => /copy/.test(a.AlarmName))).toBe(true);
    });

    test('the VPC is 10.0.0.0/16', () => {
      t.primary.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    });
  });

  describe('secondary', () => {
    test('the secondary cluster joins the global database with no master credentials, no secret, encrypted, protected, with an instance', () => {
      const cluster = props(t.secondary, 'AWS::RDS::DBCluster')[0];
      expect(cluster.GlobalClusterIdentifier).toBe('dr-aurora-global-prod');
      for (const absent of ['MasterUsername', 'MasterUserPassword', 'ManageMasterUserPassword', 'MasterUserSecret']) {
        expect(cluster[absent]).toBeUndefined();
      }
      expect(cluster.StorageEncrypted).toBe(true);
      expect(cluster.KmsKeyId).toEqual({ 'Fn::ImportValue': expect.stringContaining('DatabaseKey') });
      expect(cluster.DeletionProtection).toBe(true);
      t.secondary.resourceCountIs('AWS::SecretsManager::Secret', 0);
      t.secondary.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 0);
      expect(resources(t.secondary, 'AWS::RDS::DBInstance').length).toBeGreaterThanOrEqual(1);
    });

    test('Aurora global lag alarms in both regions, each on its own cluster and following its role, at half the region RPO', () => {
      for (const template of [t.primary, t.secondary]) {
        const alarms = props(template, 'AWS::CloudWatch::Alarm');
        // Each reads its metric over every dimension set, through a Metrics Insights query, combined with the role.
        const reads = (metric: string) => (a: any) => (a.Metrics ?? []).some((m: any) => JSON.stringify(m.Expression ?? '').includes(`SELECT MAX(${metric}) FROM \\"AWS/RDS\\"`));
        const rpoLag = alarms.find(reads('AuroraGlobalDBRPOLag'));
        expect(rpoLag.AlarmName).toBe('dr-aurora-global-rpo-lag-any-role-prod');
        expect(rpoLag.Threshold).toBe(7.5 * 60 * 1000);
        // The notifying RPO-lag alarm is the composite of the lag and "not the writer".
        expect(props(template, 'AWS::CloudWatch::CompositeAlarm').map((a) => a.AlarmName)).toEqual(['dr-aurora-global-rpo-lag-prod']);
        expect(alarms.map((a) => a.AlarmName)).toContain('dr-aurora-global-not-writer-prod');
        expect(alarms.some(reads('AuroraGlobalDBReplicationLag'))).toBe(true);
        expect(alarms.map((a) => a.AlarmName)).toContain('dr-aurora-global-role-unknown-prod');
        // The table's replication out of this region, towards the other.
        expect(alarms.map((a) => a.AlarmName)).toContain(`dr-table-replication-latency-${template === t.primary ? 'us-west-2' : 'us-east-1'}-prod`);
      }
    });

    test('its own alarm topic and a dashboard whose name carries the region (dashboards are global)', () => {
      t.secondary.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'dr-alarms-prod', KmsMasterKeyId: Match.anyValue() });
      t.secondary.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'dr-dashboard-prod-us-west-2' });
      t.primary.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'dr-dashboard-prod' });
    });
  });

  describe('addFunction', () => {
    test('the same function in both regions, each wired to its region\'s database, table and bucket', () => {
      const [pair] = platform.functions;
      expect(Stack.of(pair.primary).region).toBe('us-east-1');
      expect(Stack.of(pair.secondary).region).toBe('us-west-2');
      const fn = (template: Template) => props(template, 'AWS::Lambda::Function').find((f) => f.FunctionName === 'dr-processor-prod');
      const p = fn(t.primary).Environment.Variables;
      const s = fn(t.secondary).Environment.Variables;
      expect(Object.keys(s).sort()).toEqual(Object.keys(p).sort());
      expect(Object.keys(p).sort()).toEqual(['BUCKET_NAME', 'DB_HOST', 'DB_NAME', 'DB_PORT', 'DB_READER_HOST', 'DB_SECRET_ARN', 'TABLE_NAME', 'WRITER_REGION_PARAMETER']);
      // Each region's function reads its own region's writer-region parameter, by the one name.
      expect([p.WRITER_REGION_PARAMETER, s.WRITER_REGION_PARAMETER]).toEqual(['/prod/region/writer', '/prod/region/writer']);
      expect(s.TABLE_NAME).toBe('dr-table-prod');
      expect(s.BUCKET_NAME).toBe(`dr-data-${ACCOUNT}-us-west-2-prod`);
      expect(JSON.stringify(s.DB_HOST)).toContain('Database');
      expect(JSON.stringify(s.DB_SECRET_ARN)).toContain('dr-aurora-prod-credentials');
      expect(missingEndpoints(t.primary.toJSON() as any)).toEqual([]);
      // The secondary VPC is the foundation's, with its S3 and DynamoDB gateways (see above); the
      // secret's interface endpoint is made where the function is, and no second gateway is added.
      t.secondary.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface', PrivateDnsEnabled: true, ServiceName: 'com.amazonaws.us-west-2.secretsmanager',
      });
      expect(props(t.secondary, 'AWS::EC2::VPCEndpoint').filter((e) => e.VpcEndpointType === 'Gateway')).toEqual([]);
    });
  });

  describe('SSM parameters', () => {
    test.each([
      ['primary', 'primary', 'us-west-2'],
      ['secondary', 'secondary', 'us-east-1'],
    ] as const)('in the %s region: the endpoints, names and role under /prod/', (which, role, peer) => {
      const template = which === 'primary' ? t.primary : t.secondary;
      const params = Object.fromEntries(props(template, 'AWS::SSM::Parameter').map((p) => [p.Name, p.Value]));
      expect(Object.keys(params).sort()).toEqual([
        ...(which === 'secondary' ? ['/prod/backup/copy-vault-name'] : []),
        '/prod/alarm-topic/arn', '/prod/bucket/name', '/prod/database/endpoint', '/prod/database/global-cluster-id', '/prod/database/name',
        '/prod/database/port', '/prod/database/reader-endpoint', '/prod/database/secret-name', '/prod/functions/processor/name',
        '/prod/region/peer', '/prod/region/role', '/prod/region/writer', '/prod/table/name',
      ].sort());
      expect(params['/prod/region/role']).toBe(role);
      // The writer region starts as the primary in both regions: the region switch plan's steps move it.
      expect(params['/prod/region/writer']).toBe('us-east-1');
      expect(params['/prod/region/peer']).toBe(peer);
      expect(params['/prod/table/name']).toBe('dr-table-prod');
      expect(params['/prod/database/secret-name']).toBe('dr-aurora-prod-credentials');
    });
  });

  describe('region-loss coverage', () => {
    test('per resource: Aurora and DynamoDB unknown (alarmed, not bounded), S3 unknown (RTC bounds 99.99 % of objects, not the bucket), copies unknown and not held, functions nothing', () => {
      const byType = (type: string) => platform.regionLossCoverage.filter((c) => c.resourceType === type);
      for (const [type, name, metric] of [['Aurora', 'dr-aurora-prod', 'AuroraGlobalDBRPOLag'], ['DynamoDB', 'dr-table-prod', 'ReplicationLatency']]) {
        expect(byType(type).map((c) => [c.name, c.worstCaseDataLoss, c.heldToRegionRpo])).toEqual([[name, undefined, false]]);
        expect(byType(type)[0].unknownReason).toMatch(/(rds.global_db_rpo \(Aurora PostgreSQL\) is not set|DynamoDB gives global table replication lag no bound); an alarm on it only notifies/);
        expect(byType(type)[0].mechanism).toMatch(new RegExp(`usually under a second; alarmed when ${metric} stays above 7 minutes 30 seconds`));
      }
      expect(byType('S3').map((c) => [c.worstCaseDataLoss, c.heldToRegionRpo])).toEqual([[undefined, false]]);
      expect(byType('S3')[0].unknownReason).toMatch(/^Replication Time Control replicates 99\.99 % of objects within 15 minutes; S3 gives the other 0\.01 % no bound$/);
      const copies = byType('AWS Backup copy');
      expect(copies.map((c) => c.name).sort()).toEqual(['dr-aurora-prod', `dr-data-${ACCOUNT}-us-east-1-prod`, 'dr-table-prod']);
      for (const c of copies) {
        expect(c.heldToRegionRpo).toBe(false);
        expect(c.worstCaseDataLoss).toBeUndefined();
        expect(c.unknownReason).toMatch(/copy/);
        expect(c.mechanism).toMatch(/snapshot/);
      }
      expect(byType('Lambda').map((c) => [c.name, c.worstCaseDataLoss, c.heldToRegionRpo])).toEqual([['dr-processor-prod', undefined, false]]);
    });

    test('published as an output of both regional stacks', () => {
      for (const template of [t.primary, t.secondary]) {
        const outputs = template.toJSON().Outputs;
        expect(outputs.RegionRpo.Value).toBe('15 minutes');
        expect(outputs.RegionLossCoverage.Value).toMatch(/S3 dr-data-[^;]*99\.99 % of objects within 15 minutes; the rest unbounded, alarmed\) \(loss unknown\)/);
        expect(outputs.RegionLossCoverage.Value).not.toMatch(/up to 15 minutes lost/);
        expect(outputs.RegionLossCoverage.Value).toMatch(/Aurora dr-aurora-prod: [^;]*; alarmed when AuroraGlobalDBRPOLag[^;]*\(loss unknown\)/);
        expect(outputs.RegionLossCoverage.Value).toMatch(/DynamoDB dr-table-prod: [^;]*; alarmed when ReplicationLatency[^;]*\(loss unknown\)/);
        expect(outputs.RegionLossCoverage.Value).toMatch(/Lambda dr-processor-prod: .*no data to lose/);
        expect(outputs.RegionLossCoverage.Value).toMatch(/AWS Backup plan us-west-2 after a failover: us-west-2 runs its own hourly backup plan [^;]*\(loss unknown\)/);
      }
    });
  });

  test('production: stores, keys and vaults are retained', () => {
    for (const template of [t.foundation, t.primary, t.secondary]) {
      for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::DynamoDB::GlobalTable', 'AWS::Backup::BackupVault', 'AWS::RDS::GlobalCluster']) {
        for (const r of resources(template, type)) expect([type, r.DeletionPolicy]).toEqual([type, 'Retain']);
      }
      for (const r of resources(template, 'AWS::RDS::DBCluster')) expect(r.DeletionPolicy).toBe('Snapshot');
    }
  });
});

describe('DESTROY', () => {
  test('every stack deletes with no manual step: no retention, no deletion protection, buckets emptied, vaults drained', () => {
    const { app, platform } = make({ removalPolicy: RemovalPolicy.DESTROY });
    const t = synthesize(app, platform);
    for (const template of [t.foundation, t.primary, t.secondary]) {
      const kept = Object.entries<any>(template.toJSON().Resources)
        .filter(([, r]) => r.DeletionPolicy === 'Retain' || r.DeletionPolicy === 'Snapshot').map(([id, r]) => `${r.Type} ${id}`);
      expect(kept).toEqual([]);
      for (const c of props(template, 'AWS::RDS::DBCluster')) expect(c.DeletionProtection).toBe(false);
    }
    t.primary.hasResourceProperties('AWS::RDS::GlobalCluster', { DeletionProtection: false });
    for (const r of props(t.primary, 'AWS::DynamoDB::GlobalTable')[0].Replicas) expect(r.DeletionProtectionEnabled).toBe(false);
    expect(resources(t.foundation, 'Custom::DrBackupVaultDrain')).toHaveLength(1);
    expect(resources(t.foundation, 'Custom::S3AutoDeleteObjects').length).toBeGreaterThanOrEqual(1);
    expect(resources(t.primary, 'Custom::S3AutoDeleteObjects').length).toBeGreaterThanOrEqual(1);
  });
});

describe('options: routing, peering, event forwarding', () => {
  let platform: MultiRegionDrPlatform;
  let t: ReturnType<typeof synthesize>;
  beforeAll(() => {
    const app = testApp();
    const made = make({
      routing: {
        hostedZone: importedZone(app),
        recordName: 'payments',
        primaryDomainName: 'payments-use1.example.com',
        secondaryDomainName: 'payments-usw2.example.com',
      },
      peering: true,
      eventForwarding: true,
    }, app);
    platform = made.platform;
    platform.addFunction('Processor', { code, handler: 'index.handler', runtime: NEWEST_NODE });
    t = synthesize(app, platform);
  });

  test('a routing stack in the secondary region, deployed last: failover records on the plan\'s health checks (the default), read weakly', () => {
    expect(platform.routingStack!.stackName).toBe('Payments-prod-routing');
    expect(platform.routingStack!.region).toBe('us-west-2');
    expect(deployOrder(t.assembly).filter((n) => n.startsWith('Payments')).pop()).toBe('Payments-prod-routing');
    // No health check on an alarm: the records move only when the plan runs (test/multi-region-dr-platform/routing-control.test.ts).
    t.routing!.resourceCountIs('AWS::Route53::HealthCheck', 0);
    expect(props(t.routing!, 'AWS::Route53::RecordSet').map((r) => r.Failover).sort()).toEqual(['PRIMARY', 'SECONDARY']);
    // The probes and their alarms stay: they notify.
    for (const template of [t.primary, t.secondary]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'dr-region-health-prod' });
    }
    expect(crossStackValues(t.routing!.toJSON())).toEqual({ imports: [], weak: 2, exportResources: [] });
  });

  test('peering: the only cross-region values are weak Fn::GetStackOutput (the VPC id and the peering id)', () => {
    const primary = crossStackValues(t.primary.toJSON());
    const secondary = crossStackValues(t.secondary.toJSON());
    expect(primary.imports).toEqual([]);
    expect(primary.weak).toBe(1);
    expect(secondary.weak).toBeGreaterThan(0);
    const peering = props(t.primary, 'AWS::EC2::VPCPeeringConnection')[0];
    expect(peering.PeerVpcId['Fn::GetStackOutput']).toEqual(expect.objectContaining({ StackName: 'Payments-prod-secondary-foundation', Region: 'us-west-2' }));
    expect(props(t.primary, 'AWS::EC2::Route').filter((r) => r.DestinationCidrBlock === '10.1.0.0/16')).toHaveLength(3);
    expect(props(t.secondary, 'AWS::EC2::Route').filter((r) => r.DestinationCidrBlock === '10.0.0.0/16')).toHaveLength(3);
    for (const template of [t.primary, t.secondary]) expect(crossStackValues(template.toJSON()).exportResources).toEqual([]);
  });

  test('event forwarding: a bus per region forwarding to the other, functions get EVENT_BUS_NAME and may put events', () => {
    for (const template of [t.primary, t.secondary]) {
      template.hasResourceProperties('AWS::Events::EventBus', { Name: 'dr-events-prod' });
      const busId = Object.keys(template.findResources('AWS::Events::EventBus'))[0];
      const fn = props(template, 'AWS::Lambda::Function').find((f) => f.FunctionName === 'dr-processor-prod');
      // Each region's function, its own region's bus.
      expect(fn.Environment.Variables.EVENT_BUS_NAME).toEqual({ Ref: busId });
      expect(props(template, 'AWS::EC2::VPCEndpoint').some((e) => e.VpcEndpointType === 'Interface' && /\.events$/.test(e.ServiceName))).toBe(true);
    }
    expect(missingEndpoints(t.primary.toJSON() as any)).toEqual([]);
  });
});

describe('regionRpo', () => {
  test.each([
    [Duration.minutes(14), 'regionRpo` 14 minutes cannot be met for S3'],
    [Duration.minutes(5), 'regionRpo` 5 minutes cannot be met for S3'],
    [Duration.minutes(1), '99.99 % of objects within 15 minutes and promises nothing shorter'],
  ])('%s is refused: S3 promises nothing shorter, even for 99.99 %% of objects', (regionRpo, message) => {
    expect(() => make({ regionRpo })).toThrow(message);
  });

  test.each([
    [Duration.minutes(Token.asNumber({ Ref: 'R' })), /must be a concrete duration, not a token/],
    [Duration.seconds(90), /whole number of minutes/],
    [Duration.minutes(0), /from 1 to 1440/],
    [Duration.days(2), /from 1 to 1440/],
  ])('%s is refused as a duration', (regionRpo, message) => {
    expect(() => make({ regionRpo })).toThrow(message);
  });

  test.each([[30, '15 minutes'], [60, '30 minutes'], [20, '10 minutes']])('a regionRpo of %s minutes sets the alarm thresholds (%s), said, never taken as a bound', (minutes, half) => {
    const { platform } = make({ regionRpo: Duration.minutes(minutes) });
    expect(platform.regionLossCoverage.filter((c) => c.heldToRegionRpo || c.worstCaseDataLoss)).toEqual([]);
    for (const type of ['Aurora', 'DynamoDB']) {
      const line = platform.regionLossCoverage.find((c) => c.resourceType === type)!;
      expect(line.mechanism).toContain(`stays above ${half}`);
      expect(line.worstCaseDataLoss).toBeUndefined();
    }
  });
});

describe('the secondary cluster\'s capacity follows the primary\'s', () => {
  test.each([
    ['defaults (global mode: 8 to 16 ACUs)', {}, [8, 16]],
    ['the primary\'s own capacity', { database: { serverlessV2MinCapacity: 10, serverlessV2MaxCapacity: 24 } }, [10, 24]],
    ['a secondary minimum of its own, the primary\'s maximum', { secondaryDatabase: { serverlessV2MinCapacity: 4 } }, [4, 16]],
    ['a secondary capacity of its own', { database: { serverlessV2MinCapacity: 8, serverlessV2MaxCapacity: 32 }, secondaryDatabase: { serverlessV2MinCapacity: 8, serverlessV2MaxCapacity: 12 } }, [8, 12]],
  ] as Array<[string, Partial<MultiRegionDrPlatformProps>, [number, number]]>)('%s', (_name, extra, [min, max]) => {
    const { app, platform } = make(extra);
    const { primary, secondary } = synthesize(app, platform);
    const scaling = (t: Template) => props(t, 'AWS::RDS::DBCluster').map((p) => p.ServerlessV2ScalingConfiguration);
    expect(scaling(secondary)).toEqual([{ MinCapacity: min, MaxCapacity: max }]);
    if (extra.secondaryDatabase === undefined) {
      expect(scaling(primary)).toEqual(scaling(secondary));
    }
  });
});

describe('backups after a failover: the secondary region has its own plan in either role', () => {
  const joined = (v: any) => JSON.stringify(v);
  const copyActions = (t: Template) => props(t, 'AWS::Backup::BackupPlan')
    .flatMap((p) => p.BackupPlan.BackupPlanRule).flatMap((r: any) => r.CopyActions ?? []);

  test.each([['us-west-2', 'us-east-1'], ['eu-west-1', 'eu-central-1']])('%s backs up its stores, copies back to %s', (secondaryRegion, primaryRegion) => {
    const { app, platform } = make({
      primary: { account: ACCOUNT, region: primaryRegion }, secondary: { account: ACCOUNT, region: secondaryRegion },
    });
    const { primary, secondary } = synthesize(app, platform);
    // The selection names the secondary cluster, the table replica and the replica bucket of this region.
    const selection = joined(props(secondary, 'AWS::Backup::BackupSelection'));
    expect(props(secondary, 'AWS::Backup::BackupSelection')).toHaveLength(1);
    expect(selection).toContain(`:rds:${secondaryRegion}:`);
    expect(selection).toMatch(new RegExp(`:dynamodb:${secondaryRegion}:${ACCOUNT}:table/`));
    expect(selection).toContain(`dr-data-${ACCOUNT}-${secondaryRegion}-prod`);
    expect(selection).not.toContain(primaryRegion);
    // Every snapshot goes back to the primary region's copy vault, written out (no cross-region reference).
    const destinations = copyActions(secondary).map((a: any) => a.DestinationBackupVaultArn);
    expect(destinations.length).toBeGreaterThan(0);
    expect(new Set(destinations)).toEqual(new Set([`arn:aws:backup:${primaryRegion}:${ACCOUNT}:backup-vault:dr-copy-vault-prod`]));
    // That vault exists in the primary stack (deployed before the secondary's), locked like the secondary's copy vault.
    const vaults = props(primary, 'AWS::Backup::BackupVault');
    const copyBack = vaults.find((v) => v.BackupVaultName === 'dr-copy-vault-prod');
    expect(copyBack).toBeDefined();
    expect(copyBack.LockConfiguration).toBeDefined();
    expect(platform.secondaryStack.dependencies).toContain(platform.primaryStack);
    // Its recovery points are watched in that region.
    secondary.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'dr-recovery-monitor-prod' });
    expect(platform.secondaryProtection.recoveryPoints).toBeDefined();
  });

  test('the user\'s backup options apply, except the primary region\'s key and copy destinations', () => {
    const app = testApp();
    const keyStack = new Stack(app, 'Keys', { env: PRIMARY });
    const key = new kms.Key(keyStack, 'Key');
    const { platform } = make({ rpo: Duration.hours(2), backup: { retention: Duration.days(21), encryptionKey: key, continuousBackup: false } }, app);
    const { secondary } = synthesize(app, platform);
    const rules = props(secondary, 'AWS::Backup::BackupPlan').flatMap((p) => p.BackupPlan.BackupPlanRule);
    expect(rules.length).toBeGreaterThan(0);
    // No continuous rule: the user turned continuous backup off.
    expect(rules.every((r: any) => r.EnableContinuousBackup !== true)).toBe(true);
    expect(rules.map((r: any) => r.Lifecycle?.DeleteAfterDays)).toContain(21);
    // The vault's key is this region's own, not the primary's key.
    expect(joined(props(secondary, 'AWS::Backup::BackupVault'))).not.toContain('Keys');
    expect(platform.secondaryProtection.backup.rpo.toMinutes()).toBe(platform.primary.backup.rpo.toMinutes());
  });

  test('the secondary cluster is in this region\'s backup plan: RDSInBackupPlan is acknowledged only for that reason', () => {
    const spy = jest.spyOn(nag, 'acknowledgeFinding');
    try {
      const { platform } = make();
      const acknowledged = spy.mock.calls
        .filter(([scope, rule]) => rule === 'RDSInBackupPlan' && Stack.of(scope) === platform.secondaryStack)
        .map(([scope, , , reason]) => `${scope.node.path}: ${reason}`);
      // HourlyBackup's own acknowledgement (AWS Backup selects the cluster, the rule looks at instances); no "no plan here" excuse.
      expect(acknowledged.sort()).toEqual([
        ...platform.secondaryDatabase.instances.map((i) => `${i.node.path}: A member of the cluster dr-aurora-prod that this region's plan dr-plan-prod selects by ARN: AWS Backup protects Aurora at cluster level, not per instance.`),
        `${platform.secondaryDatabase.node.path}/ClusterView: The cluster is in the backup plan dr-plan-prod by ARN: AWS Backup protects Aurora at cluster level, not per instance.`,
      ].sort());
    } finally {
      spy.mockRestore();
    }
  });

  test('restore testing runs on the copy vault: the primary\'s copies are restored and validated in the secondary region', () => {
    const { app, platform } = make();
    const { secondary, foundation } = synthesize(app, platform);
    const plans = props(secondary, 'AWS::Backup::RestoreTestingPlan');
    expect(plans.map((p) => p.RestoreTestingPlanName)).toEqual(['dr_drills_prod']);
    expect(plans[0].RecoveryPointSelection.RecoveryPointTypes).toEqual(['SNAPSHOT']);
    // The copy vault, by a same-region export of the foundation: the drill restores its copies, nothing else.
    const included = JSON.stringify(plans[0].RecoveryPointSelection.IncludeVaults);
    const copyVaultId = Object.keys(foundation.findResources('AWS::Backup::BackupVault'))[0];
    expect(included).toContain('Fn::ImportValue');
    expect(included).toContain(copyVaultId);
    const selections = props(secondary, 'AWS::Backup::RestoreTestingSelection');
    expect(selections.map((x) => x.ProtectedResourceType).sort()).toEqual(['Aurora', 'DynamoDB', 'S3']);
    expect(selections.every((x) => JSON.stringify(x.ProtectedResourceArns) === '["*"]')).toBe(true);
    // Its overdue and failure alarms, and the monitor measuring its plan.
    const drill = platform.secondaryProtection.copyDrill!;
    expect(drill.drillPlans.map((p) => p.name)).toEqual(['snapshot']);
    const alarmNames = props(secondary, 'AWS::CloudWatch::Alarm').map((a) => a.AlarmName);
    expect(alarmNames).toEqual(expect.arrayContaining(['dr-drill-aurora-snapshot-overdue-prod', 'dr-drill-dynamodb-snapshot-overdue-prod', 'dr-drill-s3-snapshot-overdue-prod']));
  });

  test('no copy drill when the platform\'s drills are disabled', () => {
    const { app, platform } = make({ restoreDrills: RestoreDrills.disabled() });
    const { secondary } = synthesize(app, platform);
    expect(platform.secondaryProtection.copyDrill).toBeUndefined();
    secondary.resourceCountIs('AWS::Backup::RestoreTestingPlan', 0);
  });

  test('the drill options apply to the copy drill, except continuous recovery points (copies are snapshots)', () => {
    const { app, platform } = make({ restoreDrills: RestoreDrills.enabled({ continuousRecoveryPoints: true, validationWindow: Duration.hours(6) }) });
    const { secondary } = synthesize(app, platform);
    expect(props(secondary, 'AWS::Backup::RestoreTestingPlan')).toHaveLength(1);
    expect(props(secondary, 'AWS::Backup::RestoreTestingSelection').map((x) => x.ValidationWindowHours)).toEqual([6, 6, 6]);
  });

  test.each([['us-west-2'], ['eu-west-1']])('the coverage says the promoted region (%s) is protected by its own plan, and what a second loss costs', (region) => {
    const { platform } = make({ secondary: { account: ACCOUNT, region } });
    const plans = platform.regionLossCoverage.filter((c) => c.resourceType === 'AWS Backup plan');
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ name: `${region} after a failover`, heldToRegionRpo: false, worstCaseDataLoss: undefined });
    expect(plans[0].mechanism).toContain(`${region} runs its own hourly backup plan over its stores in either role`);
    expect(plans[0].mechanism).toContain('copy vault in us-east-1');
    expect(plans[0].unknownReason).toMatch(/copy job's duration, which AWS Backup does not bound/);
  });
});

describe('copy retention against the copy vault\'s lock minimum (7 days)', () => {
  test.each([
    ['copyRetention', { copyRetention: Duration.days(1) }, '1 day'],
    ['copyRetention', { copyRetention: Duration.days(6) }, '6 days'],
    ['copyRetention', { copyRetention: Duration.hours(167) }, '6 days 23 hours'],
    ['copyRetention', { copyRetention: Duration.days(6), backup: { retention: Duration.days(30) } }, '6 days'],
    ['backup.retention', { backup: { retention: Duration.days(3) } }, '3 days'],
    ['backup.retention', { backup: { retention: Duration.days(1) } }, '1 day'],
  ] as Array<[string, Partial<MultiRegionDrPlatformProps>, string]>)('`%s` shorter is refused at synth, naming the prop, its value and the minimum', (prop, given, value) => {
    expect(() => make(given)).toThrow(new RegExp(
      `\`${prop.replace('.', '\\.')}\` must be at least the copy vault's lock minimum retention \\(dr-copy-vault-prod: 7 days\\).*got: ${value}`));
  });

  test.each([
    [{ copyRetention: Duration.days(7) }],
    [{ copyRetention: Duration.days(8) }],
    [{ copyRetention: Duration.days(365) }],
    [{ backup: { retention: Duration.days(7) } }],
    [{ backup: { retention: Duration.days(14) } }],
    [{ copyRetention: Duration.days(10), backup: { retention: Duration.days(7) } }],
    [{}],
  ] as Array<[Partial<MultiRegionDrPlatformProps>]>)('at or above it is accepted: %j', (given) => {
    const { platform } = make(given);
    expect(platform.copyVault.minimumRetention!.toDays()).toBe(7);
  });

  test('an unlocked copy vault (DESTROY) has no minimum to meet', () => {
    const { platform } = make({ removalPolicy: RemovalPolicy.DESTROY, copyRetention: Duration.days(1) });
    expect(platform.copyVault.minimumRetention).toBeUndefined();
  });
});

describe('validation', () => {
  test.each<[string, Partial<MultiRegionDrPlatformProps>, RegExp]>([
    ['the same region twice', { secondary: { account: ACCOUNT, region: 'us-east-1' } }, /`secondary.region` must differ from `primary.region`/],
    ['two accounts', { secondary: { account: '210987654321', region: 'us-west-2' } }, /`secondary.account` must be `primary.account`/],
    ['no account', { primary: { region: 'us-east-1' } }, /`primary.account` must be a concrete value/],
    ['no region', { secondary: { account: ACCOUNT } }, /`secondary.region` must be a concrete value/],
    ['a token region', { secondary: { account: ACCOUNT, region: Token.asString({ Ref: 'R' }) } }, /`secondary.region` must be a concrete value/],
    ['an unknown region', { secondary: { account: ACCOUNT, region: 'us-middle-1' } }, /`secondary.region` must be an AWS region code/],
    ['a bad account', { primary: { account: '1234', region: 'us-east-1' }, secondary: { account: '1234', region: 'us-west-2' } }, /12-digit/],
    ['two partitions', { secondary: { account: ACCOUNT, region: 'cn-north-1' } }, /partition/],
    ['overlapping CIDRs with peering', { peering: true, secondaryVpcCidr: '10.0.128.0/17' }, /must not overlap/],
    ['a CIDR too small', { secondaryVpcCidr: '10.1.0.0/24' }, /`secondaryVpcCidr` must be an IPv4 CIDR block from \/16 to \/20/],
    ['a CIDR off its boundary', { primaryVpcCidr: '10.0.1.0/16' }, /`primaryVpcCidr` must be written as its network address \(10\.0\.0\.0\/16\): it must start on a \/16 boundary/],
    ['a bad suffix', { environmentSuffix: 'Prod_1' }, /`environmentSuffix` must match/],
    // Not in VersionedBucketBaseOptions: what a JavaScript caller can still pass.
    ['bucket.replication', { bucket: { replication: { destinationBucketName: 'x-bucket', destinationRegion: 'eu-west-1' } } as VersionedBucketBaseOptions }, /`bucket.replication` is set by the platform/],
    ...[['us-west-2'], ['eu-west-1'], []].map((regions): [string, Partial<MultiRegionDrPlatformProps>, RegExp] => [
      // Not in AuroraClusterOptions: what a JavaScript caller can still pass.
      `database.globalSecondaryRegions ${JSON.stringify(regions)}`, { database: { globalSecondaryRegions: regions } as AuroraClusterOptions },
      new RegExp(`\`database.globalSecondaryRegions\` is set by the platform \\(to \\["us-west-2"\\], the secondary region\\): leave it out, got: ${JSON.stringify(regions).replace(/[[\]]/g, '\\$&')}`),
    ]),
    ['another engine version for the secondary', {
      database: { engineVersion: rds.AuroraPostgresEngineVersion.VER_16_6 },
      secondaryDatabase: { engineVersion: rds.AuroraPostgresEngineVersion.VER_17_9 },
    }, /`secondaryDatabase.engineVersion` must be the primary's \(16.6\)/],
  ])('refuses %s', (_label, given, message) => {
    expect(() => make(given)).toThrow(message);
  });

  test('refuses alarms.encryptionKey: one key cannot encrypt topics in two regions', () => {
    const app = testApp();
    const keyStack = new Stack(app, 'Keys', { env: PRIMARY });
    expect(() => make({ alarms: { encryptionKey: new kms.Key(keyStack, 'K') } }, app)).toThrow(/`alarms.encryptionKey` cannot encrypt the alarm topics of both regions/);
  });

  test('refuses a placement inside a stack, and an id that cannot start a stack name', () => {
    const app = testApp();
    expect(() => new MultiRegionDrPlatform(new Stack(app, 'S'), 'P', { environmentSuffix: 'prod', primary: PRIMARY, secondary: SECONDARY }))
      .toThrow(/place it in an App or a Stage/);
    expect(() => new MultiRegionDrPlatform(app, 'my_platform', { environmentSuffix: 'prod', primary: PRIMARY, secondary: SECONDARY }))
      .toThrow(/must match \/\^\[A-Za-z\]\[A-Za-z0-9-\]\*\$\/, got: "my_platform"/);
  });

  test('refuses a hosted zone known only at deploy', () => {
    const app = testApp();
    const zoneStack = new Stack(app, 'ZoneStack', { env: PRIMARY });
    const zone = new route53.PublicHostedZone(zoneStack, 'Zone', { zoneName: 'example.com' });
    expect(() => make({
      routing: { hostedZone: zone, recordName: 'payments', primaryDomainName: 'a.example.com', secondaryDomainName: 'b.example.com' },
    }, app)).toThrow(/`routing.hostedZone` must be imported by its id and name/);
  });

  test('refuses code that lives in one region unless secondaryCode is given', () => {
    const { platform, app } = make();
    const bucketStack = new Stack(app, 'Code', { env: PRIMARY });
    const s3Code = lambda.Code.fromBucketV2(s3.Bucket.fromBucketName(bucketStack, 'B', 'code-bucket'), 'fn.zip');
    expect(() => platform.addFunction('Fn', { code: s3Code, handler: 'index.handler', runtime: NEWEST_NODE }))
      .toThrow(/`code` of the function "Fn" cannot serve the secondary region.*Give `secondaryCode`/);
  });
});

describe('compliance', () => {
  /** The platform with routing, peering, event forwarding and a function. */
  function everyOption(app: App) {
    const { platform } = make({
      routing: {
        hostedZone: importedZone(app),
        recordName: 'payments',
        primaryDomainName: 'payments-use1.example.com',
        secondaryDomainName: 'payments-usw2.example.com',
      },
      peering: true,
      eventForwarding: true,
    }, app);
    platform.addFunction('Processor', { code, handler: 'index.handler', runtime: NEWEST_NODE });
    return platform;
  }

  test('with every option: zero unacknowledged cdk-nag findings on every stack', () => {
    const platform = everyOption(testApp());
    for (const stack of [platform.secondaryFoundationStack, platform.primaryStack, platform.secondaryStack, platform.routingStack!]) {
      expect([stack.stackName, nagFindings(stack)]).toEqual([stack.stackName, []]);
    }
  });

  complianceTest('with every option: strict schema validation', () => {
    const app = testApp({ validate: true });
    everyOption(app);
    expect(() => app.synth()).not.toThrow();
  });
});
