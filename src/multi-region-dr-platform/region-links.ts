import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { FailoverWatch } from './failover-watch';
import { MultiRegionRoutingOptions } from './multi-region-dr-platform-props';
import { backupCopyLine, promotedRegionBackupLine, RegionLossLine, regionRpoShortfall, replicatedStoreLine } from './region-loss';
import { linkRehearsal } from './rehearsal-link';
import { RoutingControl, RoutingControlMode } from './routing-control';
import { createWriterCheck, VERIFY_WRITER_STEP, verifyWriterStep } from './writer-check';
import { AuroraGlobalSecondary } from '../aurora-global-secondary';
import { DrAlarms } from '../dr-alarms';
import { DEFAULT_GLOBAL_DATABASE_NAME, ROLE_AWARE_LAG_MINUTES } from '../dr-alarms/global-database-monitoring';
import { EventForwarding } from '../event-forwarding';
import { FailoverRouting, RoutingPolicy } from '../failover-routing';
import { routingSetIdentifier } from '../failover-routing/set-identifier';
import { GlobalPitrTable, GlobalPitrTableOptions } from '../global-pitr-table';
import { RegionLossCoverage as BackupRegionLoss } from '../hourly-backup';
import { auroraNames, regionHealthNames } from '../names';
import { describeDuration, validateDuration } from '../private/duration';
import { DEFAULT_PARTITION_KEY } from '../private/dynamodb-names';
import { hostedZoneName } from '../private/hosted-zone';
import { lagAlarmThreshold } from '../private/region-rpo';
import { DrValidationError, quote } from '../private/validation';
import { addDrWarning } from '../private/warnings';
import { RegionHealthCheck } from '../region-health-check';
import { RegionPeering, RegionPeeringRoutes } from '../region-peering';
import {
  AutomaticFailoverOptions, RegionSwitchDatabase, RegionSwitchDnsRecords, RegionSwitchFence, RegionSwitchOptions, RegionSwitchPlan,
  RegionSwitchRehearsal, RegionSwitchTrigger,
} from '../region-switch-plan';
import { RegionalStores } from '../regional-block/regional-block';
import { ProtectedResource, ProtectedResourceType } from '../stores/protected-resource';
import { VpcLambda } from '../vpc-lambda';

/**
 * The links between a multi-region platform's two regions: what the
 * primary's and the secondary's blocks share. Each link is one function,
 * called by MultiRegionDrPlatform with both sides.
 */

/** One region's side of a link: where it lives and what it has. */
export interface RegionSide {
  readonly stack: Stack;
  readonly region: string;
  readonly vpc: ec2.IVpc;
  readonly encryptionKey: kms.IKey;
  readonly alarmTopic: sns.ITopic;
  readonly alarms: DrAlarms;
}

/** One region's side, from what a platform or regional block has: its VPC, key, topic and alarms. */
export function regionSide(stack: Stack, region: string, has: Pick<RegionSide, 'vpc' | 'encryptionKey' | 'alarmTopic' | 'alarms'>): RegionSide {
  return { stack, region, vpc: has.vpc, encryptionKey: has.encryptionKey, alarmTopic: has.alarmTopic, alarms: has.alarms };
}

/** A VPC peering between the regions, with routes on both sides. */
export function linkPeering(
  primary: RegionSide & { cidr: string },
  secondary: RegionSide & { cidr: string; vpcIdOutput: { stackName: string; exportName: string } },
) {
  const peering = new RegionPeering(primary.stack, 'Peering', {
    vpc: primary.vpc,
    vpcCidr: primary.cidr,
    // The only value that crosses regions by reference: an id no name can give, read weakly.
    peerVpcId: Fn.getStackOutput(secondary.vpcIdOutput.stackName, secondary.vpcIdOutput.exportName, secondary.region),
    peerRegion: secondary.region,
    peerCidr: secondary.cidr,
  });
  const routes = new RegionPeeringRoutes(secondary.stack, 'PeeringRoutes', {
    vpc: secondary.vpc,
    vpcCidr: secondary.cidr,
    peerCidr: primary.cidr,
    vpcPeeringConnectionId: peering.peeringConnectionIdFor(secondary.stack),
  });
  return { peering, routes };
}

/** Event forwarding both ways: each region's bus forwards to the other's, and each region alarms on its own forwarding. */
export function linkEventForwarding(suffix: string, removalPolicy: RemovalPolicy | undefined, primary: RegionSide, secondary: RegionSide) {
  const forward = (from: RegionSide, to: RegionSide) => new EventForwarding(from.stack, 'EventForwarding', {
    environmentSuffix: suffix,
    targetRegion: to.region,
    alarmTopic: from.alarmTopic,
    encryptionKey: from.encryptionKey,
    removalPolicy,
  });
  const fromPrimary = forward(primary, secondary);
  const fromSecondary = forward(secondary, primary);
  primary.alarms.monitorEventForwarding(fromPrimary);
  secondary.alarms.monitorEventForwarding(fromSecondary);
  return { primary: fromPrimary, secondary: fromSecondary };
}


/** The hosted zone of `routing`, whose id must be known at synth (imported by id and name). */
function literalZone(owner: Construct, routing: MultiRegionRoutingOptions): { zoneId: string; zoneName: string } {
  const zoneId = routing.hostedZone.hostedZoneId;
  if (Token.isUnresolved(zoneId)) {
    throw new DrValidationError(owner,
      '`routing.hostedZone` must be imported by its id and name (HostedZone.fromHostedZoneAttributes): a zone defined in a stack of the app would be a reference into the routing stack, got: a zone whose id is known only at deploy');
  }
  return { zoneId, zoneName: hostedZoneName(owner, 'routing.hostedZone', routing.hostedZone) };
}

/** The outputs of the plan's stack with the plan's health check ids, read weakly by the routing stack. */
const HEALTH_CHECK_OUTPUTS = { primary: 'RegionSwitchPrimaryHealthCheckId', secondary: 'RegionSwitchSecondaryHealthCheckId' } as const;

/**
 * The records the plan's DNS step moves, from `routing`: the zone id, the
 * record's full name and the set identifiers FailoverRouting gives the
 * records, all literals (the plan must not refer to the records: they refer
 * to it).
 */
export function routingDnsRecords(
  owner: Construct, routing: MultiRegionRoutingOptions, primaryRegion: string, secondaryRegion: string,
): RegionSwitchDnsRecords {
  const { zoneId, zoneName } = literalZone(owner, routing);
  if (Token.isUnresolved(routing.recordName) || Token.isUnresolved(zoneName)) {
    throw new DrValidationError(owner,
      `\`routing.recordName\` and the zone's name must be literals with RoutingControl.regionSwitchPlan(): the plan's DNS step names the record, got: ${Token.isUnresolved(routing.recordName) ? Token.asString(routing.recordName) : Token.asString(zoneName)}`);
  }
  // As FailoverRouting (and aws-cdk-lib) read it: a name ending in the zone's name, or in a dot, is already fully qualified.
  const zone = zoneName.replace(/\.$/, '').toLowerCase();
  const name = routing.recordName.replace(/\.$/, '').toLowerCase();
  const qualified = routing.recordName.endsWith('.') || name === zone || name.endsWith(`.${zone}`);
  return {
    hostedZoneId: zoneId,
    recordName: qualified ? name : `${name}.${zone}`,
    primarySetIdentifier: routingSetIdentifier('primary', primaryRegion),
    secondarySetIdentifier: routingSetIdentifier('secondary', secondaryRegion),
  };
}

/** What the routing link needs beside the two sides. */
export interface RoutingLinkOptions {
  readonly owner: Construct;
  readonly suffix: string;
  readonly removalPolicy?: RemovalPolicy;
  readonly routing: MultiRegionRoutingOptions;
  /** The table's partition key, as given; the library's default when undefined. */
  readonly tablePartitionKey?: dynamodb.Attribute;
  readonly tableSortKey?: dynamodb.Attribute;
  /** Makes the routing stack (in the secondary region), once the health checks are known to be possible. */
  readonly makeRoutingStack: (what: string) => Stack;
}

/** Whether the plan moves routing's records (`routing.control`, checked against whether there is a plan). */
function planMovesDns(owner: Construct, routing: MultiRegionRoutingOptions, hasPlan: boolean): boolean {
  return RoutingControl._modeOf(owner, routing.control, hasPlan) === RoutingControlMode.REGION_SWITCH_PLAN;
}

/**
 * A health probe and alarm in each region and the Route 53 records, in a
 * stack of their own that depends on both regions. The records follow the
 * plan's health checks (read weakly from the plan's stack outputs) when
 * there is a plan, else Route 53 health checks on the regions' alarms (by
 * their derived names).
 */
export function linkRouting(
  options: RoutingLinkOptions, primary: RegionSide & { stores: RegionalStores }, secondary: RegionSide & { stores: RegionalStores },
  // The platform's plan, if any: the records follow its health checks unless `routing.control` says otherwise.
  platformPlan?: RegionSwitchPlan,
) {
  const { routing, suffix } = options;
  const healthCheck = (side: RegionSide & { stores: RegionalStores }) => {
    const check = new RegionHealthCheck(side.stack, 'RegionHealth', {
      environmentSuffix: suffix,
      vpc: side.vpc,
      database: side.stores.database,
      table: side.stores.table,
      tablePartitionKey: options.tablePartitionKey ?? DEFAULT_PARTITION_KEY,
      tableSortKey: options.tableSortKey,
      bucket: side.stores.bucket,
      evaluationPeriods: routing.evaluationPeriods,
      encryptionKey: side.encryptionKey,
      alarmTopic: side.alarmTopic,
      removalPolicy: options.removalPolicy,
    });
    return check;
  };
  const primaryHealthCheck = healthCheck(primary);
  const secondaryHealthCheck = healthCheck(secondary);
  primary.alarms.monitorRegionHealthCheck(primaryHealthCheck);
  secondary.alarms.monitorRegionHealthCheck(secondaryHealthCheck);
  const { zoneId, zoneName } = literalZone(options.owner, routing);
  const records = routing.routingPolicy === RoutingPolicy.WEIGHTED ? 'weighted' : 'failover';
  const plan = planMovesDns(options.owner, routing, platformPlan !== undefined) ? platformPlan : undefined;
  const routingStack = options.makeRoutingStack(plan
    ? `${records} records that follow the Region switch plan's health checks (deployed from ${secondary.region})`
    : `Route 53 health checks on the regions' health alarms and ${records} records (deployed from ${secondary.region})`);
  // The health checks watch alarms the regional stacks create; the plan's are in the secondary's stack.
  routingStack.node.addDependency(primary.stack);
  routingStack.node.addDependency(secondary.stack);
  const follow = (role: 'primary' | 'secondary', region: string) => {
    if (!plan) {
      // The alarm names, derived on both sides: no reference into the regional stacks.
      return { healthAlarmName: regionHealthNames(suffix).alarm };
    }
    // A fixed output of the plan's stack, read weakly: no export that would pin the plan's health checks.
    const output = new CfnOutput(Stack.of(plan), HEALTH_CHECK_OUTPUTS[role], {
      value: plan.healthCheckId(region),
      description: `The Route 53 health check of the Region switch plan for the ${role} region's record (${region})`,
    });
    output.overrideLogicalId(HEALTH_CHECK_OUTPUTS[role]);
    return { healthCheckId: Fn.getStackOutput(Stack.of(plan).stackName, HEALTH_CHECK_OUTPUTS[role], secondary.region) };
  };
  const failoverRouting = new FailoverRouting(routingStack, 'Routing', {
    hostedZone: route53.HostedZone.fromHostedZoneAttributes(routingStack, 'Zone', { hostedZoneId: zoneId, zoneName }),
    recordName: routing.recordName,
    routingPolicy: routing.routingPolicy,
    ttl: routing.ttl,
    primary: { region: primary.region, ...follow('primary', primary.region), domainName: routing.primaryDomainName, weight: routing.primaryWeight },
    secondary: { region: secondary.region, ...follow('secondary', secondary.region), domainName: routing.secondaryDomainName, weight: routing.secondaryWeight },
  });
  return { routingStack, primaryHealthCheck, secondaryHealthCheck, failoverRouting };
}


/**
 * The role-aware alarms of both regions: the global database watched from
 * each region on its own member cluster, and the global table's
 * replication out of each region, both following each member's role
 * (writer or secondary) as RDS reports it now. After a switchover, a
 * failover or a switch back none stays in ALARM for a metric only the other
 * role has (RDS publishes the Aurora lag for a secondary, DynamoDB the
 * latency where items are written), and the new secondary and the new
 * writer are watched. The role functions use each region's key.
 */
export function linkAlarms(
  suffix: string, regionRpo: Duration, table: GlobalPitrTable,
  primary: RegionSide & { cluster: rds.IDatabaseCluster }, secondary: RegionSide & { cluster: rds.IDatabaseCluster },
): { aurora: cloudwatch.IAlarm[]; table: cloudwatch.IAlarm[] } {
  const globalClusterIdentifier = auroraNames(suffix).globalCluster;
  const sides = [primary, secondary];
  const aurora = sides.flatMap((side) =>
    side.alarms.monitorGlobalDatabase(side.cluster, { regionRpo, globalClusterIdentifier, encryptionKey: side.encryptionKey }));
  // The workload writes where Aurora's writer is: the table's alarms follow that role (the database watched first).
  const tableAlarms = sides.flatMap((side) =>
    side.alarms.monitorTableReplication(table, { regionRpo, followWriterOf: DEFAULT_GLOBAL_DATABASE_NAME }));
  return { aurora, table: tableAlarms };
}

/**
 * The replication link of a global store (Aurora global database, DynamoDB
 * global table): what a failover loses, with the alarm that watches the lag.
 * The link owns the threshold rule: the lag alarms fire at half the region
 * RPO (DrAlarms.monitorGlobalDatabase and monitorTableReplication), leaving
 * the other half to act.
 */
export function replicationLinkLine(resourceType: 'Aurora' | 'DynamoDB', name: string, regionRpo: Duration, alarmed: boolean,
  enforcedBound?: Duration): RegionLossLine {
  return replicatedStoreLine(resourceType, {
    name,
    enforcedBound,
    lagMetric: resourceType === 'Aurora' ? 'AuroraGlobalDBRPOLag' : 'ReplicationLatency',
    alarmThreshold: alarmed ? lagAlarmThreshold(regionRpo) : undefined,
    // Aurora's role-aware alarm fires over three one-minute periods in a row; the table's over two.
    alarmEvaluation: Duration.minutes(resourceType === 'Aurora' ? ROLE_AWARE_LAG_MINUTES : 2),
    // Aurora's alarm counts a secondary that reports no lag as breaching; the table's keeps its state.
    alarmsOnSilence: resourceType === 'Aurora',
  });
}


/** What the region-loss lines of the stores are made from. */
export interface StoreLossInputs {
  readonly suffix: string;
  readonly regionRpo: Duration;
  readonly tableName: string;
  readonly bucketLine: RegionLossLine;
  readonly auroraAlarmed: boolean;
  /** The `rds.global_db_rpo` bound, when the platform sets it (enforceAuroraRegionRpo). */
  readonly auroraRpoBound?: Duration;
  readonly tableAlarmed: boolean;
  /** The primary's backup copies to the other region. */
  readonly copies: BackupRegionLoss[];
  readonly secondaryRegion: string;
  readonly primaryRegion: string;
}

/**
 * What each store loses with the primary region: the replication links,
 * the bucket's replication, the backup copies (the path for corruption found
 * after the region is gone, not held to regionRpo) and the promoted region's
 * own plan. A line held to `regionRpo` that cannot meet it is refused,
 * with the arithmetic.
 */
export function storeLossLines(scope: Construct, inputs: StoreLossInputs): RegionLossLine[] {
  const clusterName = auroraNames(inputs.suffix).cluster;
  const lines = [
    replicationLinkLine('Aurora', clusterName, inputs.regionRpo, inputs.auroraAlarmed, inputs.auroraRpoBound),
    replicationLinkLine('DynamoDB', inputs.tableName, inputs.regionRpo, inputs.tableAlarmed),
    inputs.bucketLine,
  ];
  // Named like the replication lines, by the store's physical name.
  const storeNames: Partial<Record<ProtectedResourceType, string>> = {
    [ProtectedResourceType.AURORA]: clusterName,
    [ProtectedResourceType.DYNAMODB]: inputs.tableName,
    [ProtectedResourceType.S3]: inputs.bucketLine.name,
  };
  for (const copy of inputs.copies) {
    if (copy.resourceType !== ProtectedResourceType.LAMBDA) {
      lines.push(backupCopyLine({ ...copy, name: storeNames[copy.resourceType] ?? copy.name }));
    }
  }
  // After a failover the promoted region's own plan protects it; a second loss is said, not hidden.
  lines.push(promotedRegionBackupLine(inputs.secondaryRegion, inputs.primaryRegion));
  for (const line of lines) {
    const shortfall = regionRpoShortfall(line, inputs.regionRpo);
    if (shortfall) {
      throw new DrValidationError(scope, shortfall);
    }
  }
  return lines;
}

/** What the region switch link needs beside the two sides. */
export interface RegionSwitchLinkOptions {
  readonly suffix: string;
  readonly removalPolicy?: RemovalPolicy;
  readonly regionRto: Duration;
  readonly secondaryDatabase: AuroraGlobalSecondary;
  readonly owner: Construct;
  /** The platform's routing: the plan moves its records unless `routing.control` says otherwise. */
  readonly routing?: MultiRegionRoutingOptions;
  /** Each region's database handle, for the plan's verify step. */
  readonly databases: { readonly primary: ProtectedResource; readonly secondary: ProtectedResource };
}

/**
 * The region switch: a RegionSwitchPlan in the secondary region (a failover
 * away from the primary keeps its reports and notifications) with the fence
 * of that region, and a RegionSwitchFence in the primary. Undefined when the
 * platform has no plan.
 */
export function linkRegionSwitch(
  options: RegionSwitchOptions | undefined, link: RegionSwitchLinkOptions, primary: RegionSide, secondary: RegionSide, table?: GlobalPitrTableOptions,
): { plan: RegionSwitchPlan; primaryFence: RegionSwitchFence; rehearsal?: RegionSwitchRehearsal } | undefined {
  if (!options) {
    return undefined;
  }
  const { rehearsal: rehearsalOptions, automaticFailover, ...planOptions } = options;
  const primaryFence = new RegionSwitchFence(primary.stack, 'RegionSwitchFence', {
    environmentSuffix: link.suffix,
    primaryRegion: primary.region,
    secondaryRegion: secondary.region,
    encryptionKey: primary.encryptionKey,
    removalPolicy: link.removalPolicy,
  });
  const taken = (options.customSteps ?? []).findIndex((step) => step.name === VERIFY_WRITER_STEP);
  if (taken >= 0) {
    throw new DrValidationError(link.owner,
      `\`regionSwitch.customSteps[${taken}].name\` must not be ${quote(VERIFY_WRITER_STEP)}: the platform's plan has a step of that name (it checks the new writer), got: ${quote(VERIFY_WRITER_STEP)}`);
  }
  // The verify step's function in each region, the primary's made in its own stack and named by ARN in the plan.
  const check = (side: RegionSide, database: ProtectedResource) => createWriterCheck(side.stack,
    { suffix: link.suffix, removalPolicy: link.removalPolicy, database, vpc: side.vpc, encryptionKey: side.encryptionKey });
  check(primary, link.databases.primary);
  const verify = verifyWriterStep(secondary.stack, check(secondary, link.databases.secondary),
    { region: primary.region, account: primary.stack.account, suffix: link.suffix });
  const plan = new RegionSwitchPlan(secondary.stack, 'RegionSwitch', {
    ...planOptions,
    // After the Aurora and DNS steps, before the user's own.
    customSteps: [verify, ...(options.customSteps ?? [])],
    environmentSuffix: link.suffix,
    primaryRegion: primary.region,
    secondaryRegion: secondary.region,
    recoveryTimeObjective: link.regionRto,
    database: RegionSwitchDatabase.fromAuroraGlobalSecondary(link.secondaryDatabase),
    dnsRecords: link.routing && planMovesDns(link.owner, link.routing, true)
      ? routingDnsRecords(link.owner, link.routing, primary.region, secondary.region) : undefined,
    alarmTopic: secondary.alarmTopic,
    removalPolicy: link.removalPolicy,
  });
  // The rehearsal's markers also go through each region's writer, by the verify step's functions.
  const markerDatabase = { primaryFunction: verify.primaryFunction, secondaryFunction: verify.secondaryFunction };
  const rehearsal = rehearsalOptions ? linkRehearsal(plan, rehearsalOptions, { ...link, table, markerDatabase }, secondary) : undefined;
  if (automaticFailover) linkAutomaticFailover(plan, automaticFailover, link, primary, secondary);
  return { plan, primaryFence, rehearsal };
}

/** Lets a function read its region's writer-region parameter, through the VPC's SSM endpoint. */
export function readWriterRegion(fn: VpcLambda, fence: { grantReadWriterRegion(grantee: iam.IGrantable): iam.Grant }): void {
  fence.grantReadWriterRegion(fn);
  fn.requireInterfaceEndpoint(ec2.InterfaceVpcEndpointAwsService.SSM);
}

/** Aurora PostgreSQL's managed RPO parameter (cluster parameter group), in seconds. */
export const GLOBAL_DB_RPO_PARAMETER = 'rds.global_db_rpo';

/**
 * Bounds the Aurora region-loss RPO at `regionRpo`: `rds.global_db_rpo` in
 * seconds in the cluster parameter group of every member. AWS documents it
 * on the primary's group, where it takes effect; it is set on the
 * secondary's too so the bound holds after a switchover or failover makes
 * that cluster the primary. AWS's floor is 20 seconds; `regionRpo` is
 * whole minutes, so it is always above it. Undefined (nothing set) unless
 * `enabled`. The warning goes on the primary cluster, in its stack.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
 */
export function enforceAuroraRegionRpo(enabled: boolean | undefined, regionRpo: Duration,
  primary: IConstruct & { parameterGroup: rds.IParameterGroup }, secondaries: Array<{ parameterGroup: rds.IParameterGroup }>): Duration | undefined {
  if (!enabled) return undefined;
  const members = [primary, ...secondaries];
  const seconds = regionRpo.toSeconds();
  for (const member of members) {
    member.parameterGroup.addParameter(GLOBAL_DB_RPO_PARAMETER, String(seconds));
  }
  // On the primary cluster, in its stack: where the commits wait, and where `cdk synth` shows it.
  addDrWarning(primary, 'auroraRegionRpoBlocksCommits',
    `enforceAuroraRegionRpo sets ${GLOBAL_DB_RPO_PARAMETER} to ${seconds} seconds: commits on the primary's writer wait while every `
    + `secondary lags more than ${describeDuration(regionRpo)} behind, so a slow or unreachable secondary region stalls writes. `
    + 'The region-loss RPO is bounded in exchange; the Aurora lag alarm fires at half of it.');
  return regionRpo;
}

/**
 * The automatic failover (opt-in): the watch and its corroborating alarms in
 * the secondary region, and the plan's trigger on the composite alarm, its
 * only condition.
 */
function linkAutomaticFailover(plan: RegionSwitchPlan, options: AutomaticFailoverOptions, link: RegionSwitchLinkOptions,
  primary: RegionSide, secondary: RegionSide): void {
  const impairedForMinutes = validateDuration(link.owner, 'regionSwitch.automaticFailover.impairedFor', options.impairedFor ?? Duration.minutes(5), {
    unit: 'minutes', min: 1, max: 60, tokens: false, tokenReason: 'the alarm\'s evaluation periods are computed from it at synth',
  })!;
  const watch = new FailoverWatch(secondary.stack, 'FailoverWatch', {
    suffix: link.suffix,
    primaryRegion: primary.region,
    account: secondary.stack.account,
    primaryHealthAlarm: link.routing !== undefined,
    impairedForMinutes,
    encryptionKey: secondary.encryptionKey,
    alarmTopic: secondary.alarmTopic,
    removalPolicy: link.removalPolicy,
  });
  new RegionSwitchTrigger(secondary.stack, 'FailoverTrigger', {
    plan, alarm: watch.corroboratedAlarm, targetRegion: secondary.region, minDelayBetweenRuns: options.minDelayBetweenRuns,
  });
}
