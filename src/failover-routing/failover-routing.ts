import { Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { routingSetIdentifier } from './set-identifier';
import { validateDuration } from '../private/duration';
import { hostedZoneName, MAX_DNS_NAME_LENGTH } from '../private/hosted-zone';
import { DrValidationError, quote } from '../private/validation';

/**
 * How Route 53 chooses between the two regions' records.
 */
export enum RoutingPolicy {
  /**
   * Failover records: the primary while its health check is healthy, the
   * secondary otherwise.
   */
  FAILOVER = 'FAILOVER',
  /**
   * Weighted records with health checks: traffic split by `weight` among the
   * healthy records; a record of weight 0 is answered only when no record of
   * a higher weight is healthy.
   */
  WEIGHTED = 'WEIGHTED',
}

/**
 * One region as the routing records see it.
 */
export interface RoutedRegion {
  /** The region, for example `us-east-1`: where the health alarm lives. */
  readonly region: string;

  /**
   * The name of the CloudWatch alarm in `region` that is in ALARM when the
   * region cannot serve: `RegionHealthCheck.alarmName`
   * (`dr-region-health-{environmentSuffix}`). It must exist before the
   * health check is created. The construct creates a Route 53 health check
   * on it, and the records move when the alarm does, without a person:
   * missing data counts as unhealthy, so a region whose probe stops
   * publishing loses its traffic too. Give this or `healthCheckId`, not both.
   *
   * @default - none: `healthCheckId` is required
   */
  readonly healthAlarmName?: string;

  /**
   * An existing Route 53 health check for this region's record: the one an
   * ARC Region switch plan created (`RegionSwitchPlan.healthCheckId(region)`),
   * which moves only when the plan runs. Give this or `healthAlarmName`,
   * not both.
   *
   * @default - none: `healthAlarmName` is required
   */
  readonly healthCheckId?: string;

  /**
   * The name the record points to in this region (a CNAME target): the
   * regional endpoint of the workload, for example a load balancer's or an
   * API's regional domain name.
   */
  readonly domainName: string;

  /**
   * The record's weight, 0 to 255, with `RoutingPolicy.WEIGHTED` only.
   *
   * @default 100 for the primary, 0 for the secondary (the secondary answers only when the primary is unhealthy)
   */
  readonly weight?: number;
}

/**
 * Properties for FailoverRouting.
 */
export interface FailoverRoutingProps {
  /** The hosted zone the records go in (public or private). */
  readonly hostedZone: route53.IHostedZone;

  /**
   * The workload's name in the zone: relative (`api`) or fully qualified
   * with a trailing dot (`api.example.com.`). Not the zone apex: the records
   * are CNAMEs, which DNS forbids there.
   */
  readonly recordName: string;

  /** The primary region. */
  readonly primary: RoutedRegion;

  /** The secondary region. */
  readonly secondary: RoutedRegion;

  /**
   * Failover or weighted records.
   *
   * @default RoutingPolicy.FAILOVER
   */
  readonly routingPolicy?: RoutingPolicy;

  /**
   * How long resolvers may cache an answer: after a switch, clients keep the
   * old region for up to this long. Whole seconds, 0 to 86400.
   *
   * @default Duration.seconds(60)
   */
  readonly ttl?: Duration;
}

/**
 * DNS routing between two regions driven by health-check state: two CNAME
 * records for the workload's name (failover PRIMARY/SECONDARY, or
 * weighted), each following a health check. Per region, either:
 * - `healthCheckId`: an existing health check, such as the one an ARC Region
 *   switch plan created for that region (`RegionSwitchPlan.healthCheckId`).
 *   The records then move only when the plan runs; or
 * - `healthAlarmName`: a Route 53 health check of type CLOUDWATCH_METRIC on
 *   the region's health alarm, created here. The records then move on their
 *   own when the alarm fires, which the rest of this comment describes.
 *
 * Each record's SetIdentifier names its role and region
 * (`primary-us-east-1`), as an ARC plan's DNS step requires.
 *
 * The switch happens in Route 53's data plane, when a health check turns
 * unhealthy: no record is edited during an outage, so nothing depends on the
 * Route 53 control plane (in us-east-1) or on CloudFormation then. When
 * CloudWatch cannot say (insufficient data, as when a region stops
 * delivering metrics), the health check is unhealthy. When both health
 * checks are unhealthy, Route 53 answers with the primary's record
 * (failover) or with all records (weighted).
 *
 * DNS moves clients, not data: the secondary region serves reads until its
 * Aurora cluster is promoted. Realistic recovery times with a warm standby:
 * - reads, automatic: about 5 to 7 minutes (the region health alarm's
 *   evaluation periods, metric delivery, Route 53 reading the alarm, the TTL);
 * - writes after a region loss: about 15 minutes, because a person decides
 *   and runs the Aurora global database failover (data lost: the replication
 *   lag at that moment);
 * - a planned Aurora switchover (drills, failing back): no data lost, writes
 *   paused for the minutes the switchover takes;
 * - restoring from backup copies (logical corruption): hours.
 *
 * DNS follows region health, not the Aurora writer: after a failover, keep
 * the old primary's health check unhealthy (disable its probe's schedule, or
 * invert the health check) until Aurora is switched back, or Route 53 sends
 * clients back to a read-only region when it recovers. The repository's
 * docs/failover.md has the runbooks. No ARC Region switch plan is created.
 *
 * @example
 * declare const zone: route53.IHostedZone;
 * new FailoverRouting(this, 'Routing', {
 *   hostedZone: zone,
 *   recordName: 'payments',
 *   primary: { region: 'us-east-1', healthAlarmName: 'dr-region-health-prod', domainName: 'payments-use1.example.com' },
 *   secondary: { region: 'us-west-2', healthAlarmName: 'dr-region-health-prod', domainName: 'payments-usw2.example.com' },
 * });
 */
export class FailoverRouting extends Construct {
  /** The primary record's health check: on the region's alarm (created here), or the one given by id. */
  public readonly primaryHealthCheck: route53.IHealthCheck;
  /** The secondary record's health check. */
  public readonly secondaryHealthCheck: route53.IHealthCheck;
  /** The primary region's record. */
  public readonly primaryRecord: route53.CnameRecord;
  /** The secondary region's record. */
  public readonly secondaryRecord: route53.CnameRecord;
  /** The routing policy of the records. */
  public readonly routingPolicy: RoutingPolicy;
  /** The records' TTL. */
  public readonly ttl: Duration;

  constructor(scope: Construct, id: string, props: FailoverRoutingProps) {
    super(scope, id);
    this.routingPolicy = props.routingPolicy ?? RoutingPolicy.FAILOVER;
    this.ttl = props.ttl ?? Duration.seconds(60);
    validateDuration(this, 'ttl', this.ttl, {
      unit: 'seconds',
      min: 0,
      max: 86_400,
      tokens: true,
      maxReason: 'an answer cached for longer than a day would keep clients on a failed region that long',
    });
    validateRecordName(this, props.hostedZone, props.recordName);
    for (const [prop, region] of [['primary', props.primary], ['secondary', props.secondary]] as const) {
      validateRoutedRegion(this, prop, region, this.routingPolicy);
    }
    if (!Token.isUnresolved(props.primary.region) && props.primary.region === props.secondary.region) {
      throw new DrValidationError(this,
        `\`primary.region\` and \`secondary.region\` must differ: failover between one region and itself protects against nothing, got: ${quote(props.primary.region)} for both`);
    }
    if (!Token.isUnresolved(props.primary.domainName) && normalize(props.primary.domainName) === normalize(props.secondary.domainName)) {
      throw new DrValidationError(this,
        `\`primary.domainName\` and \`secondary.domainName\` must differ: both records would send clients to the same place, got: ${quote(props.primary.domainName)} for both`);
    }
    const weighted = this.routingPolicy === RoutingPolicy.WEIGHTED;
    const primaryWeight = props.primary.weight ?? 100;
    const secondaryWeight = props.secondary.weight ?? 0;
    if (weighted && primaryWeight === 0 && secondaryWeight === 0) {
      throw new DrValidationError(this,
        '`primary.weight` and `secondary.weight` must not both be 0: Route 53 would then split traffic evenly and prefer neither region, got: 0 and 0');
    }

    this.primaryHealthCheck = healthCheck(this, 'PrimaryHealthCheck', props.primary);
    this.secondaryHealthCheck = healthCheck(this, 'SecondaryHealthCheck', props.secondary);
    const record = (recordId: string, region: RoutedRegion, check: route53.IHealthCheck, failover: route53.Failover, weight: number) =>
      new route53.CnameRecord(this, recordId, {
        zone: props.hostedZone,
        recordName: props.recordName,
        domainName: region.domainName,
        ttl: this.ttl,
        healthCheck: check,
        setIdentifier: routingSetIdentifier(failover === route53.Failover.PRIMARY ? 'primary' : 'secondary', region.region),
        comment: region.healthAlarmName !== undefined
          ? `${failover.toLowerCase()} region ${region.region}: answered while the alarm ${region.healthAlarmName} there is OK`
          : `${failover.toLowerCase()} region ${region.region}: answered while its given health check (a Region switch plan's) is healthy`,
        ...(weighted ? { weight } : { failover }),
      });
    this.primaryRecord = record('PrimaryRecord', props.primary, this.primaryHealthCheck, route53.Failover.PRIMARY, primaryWeight);
    this.secondaryRecord = record('SecondaryRecord', props.secondary, this.secondaryHealthCheck, route53.Failover.SECONDARY, secondaryWeight);
  }
}

function healthCheck(scope: Construct, id: string, region: RoutedRegion): route53.IHealthCheck {
  if (region.healthCheckId !== undefined) {
    return route53.HealthCheck.fromHealthCheckId(scope, id, region.healthCheckId);
  }
  return new route53.HealthCheck(scope, id, {
    type: route53.HealthCheckType.CLOUDWATCH_METRIC,
    alarmIdentifier: { name: region.healthAlarmName!, region: region.region },
    // No data from CloudWatch is no evidence of health: a region that stopped delivering metrics fails over.
    insufficientDataHealthStatus: route53.InsufficientDataHealthStatusEnum.UNHEALTHY,
  });
}

/** A DNS name without its trailing dot, lowercased. */
function normalize(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** Checks a DNS name's labels (a leading `*` label allowed where `wildcard`); returns the problem, if any. */
function dnsNameProblem(name: string, wildcard: boolean): string | undefined {
  const n = normalize(name);
  if (n.length === 0 || n.length > MAX_DNS_NAME_LENGTH) return `be 1 to ${MAX_DNS_NAME_LENGTH} characters long (without the trailing dot)`;
  const labels = n.split('.');
  for (const [i, label] of labels.entries()) {
    if (wildcard && i === 0 && label === '*') continue;
    if (!LABEL.test(label)) {
      return 'be dot-separated labels of 1 to 63 letters, digits, hyphens or underscores, not starting or ending with a hyphen'
        + (wildcard ? ' (a `*` only as the whole first label)' : '');
    }
  }
  return undefined;
}

function validateRecordName(scope: Construct, zone: route53.IHostedZone, recordName: string): void {
  if (Token.isUnresolved(recordName)) return;
  const problem = dnsNameProblem(recordName, true);
  if (problem) {
    throw new DrValidationError(scope, `\`recordName\` must ${problem}, got: ${quote(recordName)}`);
  }
  const zoneName = hostedZoneName(scope, 'hostedZone', zone);
  if (Token.isUnresolved(zoneName)) return;
  const zoneFqdn = normalize(zoneName);
  // As aws-cdk-lib reads it: a name ending in the zone's name is already fully qualified.
  const name = normalize(recordName);
  const qualified = recordName.endsWith('.') || name === zoneFqdn || name.endsWith(`.${zoneFqdn}`);
  const fqdn = qualified ? name : `${name}.${zoneFqdn}`;
  if (fqdn === zoneFqdn) {
    throw new DrValidationError(scope,
      `\`recordName\` must not be the zone apex ${quote(zoneFqdn)}: the records are CNAMEs, which DNS does not allow at the apex, got: ${quote(recordName)}`);
  }
  if (!fqdn.endsWith(`.${zoneFqdn}`)) {
    throw new DrValidationError(scope, `\`recordName\` must be a name inside the zone ${quote(zoneFqdn)}, got: ${quote(recordName)}`);
  }
  if (fqdn.length > MAX_DNS_NAME_LENGTH) {
    throw new DrValidationError(scope,
      `\`recordName\` in the zone ${quote(zoneFqdn)} makes the name ${quote(fqdn)} ${fqdn.length} characters long: DNS allows ${MAX_DNS_NAME_LENGTH} (255 octets), got: ${quote(recordName)}`);
  }
}

function validateRoutedRegion(scope: Construct, prop: string, region: RoutedRegion, policy: RoutingPolicy): void {
  if (!Token.isUnresolved(region.region) && !RegionInfo.regions.some((r) => r.name === region.region)) {
    throw new DrValidationError(scope, `\`${prop}.region\` must be an AWS region code such as us-east-1, got: ${quote(region.region)}`);
  }
  if (Token.isUnresolved(region.region)) {
    throw new DrValidationError(scope,
      `\`${prop}.region\` must be a concrete region code: a Route 53 health check names its alarm's region, and the two regions must be told apart at synth, got: ${Token.asString(region.region)}`);
  }
  if (region.healthAlarmName !== undefined && region.healthCheckId !== undefined) {
    throw new DrValidationError(scope,
      `\`${prop}.healthAlarmName\` and \`${prop}.healthCheckId\` are exclusive: the record follows either a health check on the alarm or the given one, got: both (${quote(String(region.healthAlarmName))} and ${quote(String(region.healthCheckId))})`);
  }
  if (region.healthAlarmName === undefined && region.healthCheckId === undefined) {
    throw new DrValidationError(scope,
      `\`${prop}.healthAlarmName\` or \`${prop}.healthCheckId\` is required: a failover or weighted record needs a health check to follow, got: neither`);
  }
  const checkId = region.healthCheckId;
  // Route 53 health check ids are UUIDs (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheck.html).
  if (checkId !== undefined && !Token.isUnresolved(checkId) && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(checkId)) {
    throw new DrValidationError(scope, `\`${prop}.healthCheckId\` must be a Route 53 health check id (a UUID such as 0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0), got: ${quote(checkId)}`);
  }
  const alarm = region.healthAlarmName;
  if (alarm !== undefined && !Token.isUnresolved(alarm) && (alarm.length < 1 || alarm.length > 255 || /[\u0000-\u001f]/.test(alarm))) {
    throw new DrValidationError(scope, `\`${prop}.healthAlarmName\` must be a CloudWatch alarm name of 1 to 255 printable characters, got: ${quote(alarm)}`);
  }
  if (!Token.isUnresolved(region.domainName)) {
    const problem = dnsNameProblem(region.domainName, false);
    if (problem) {
      throw new DrValidationError(scope, `\`${prop}.domainName\` must ${problem}, got: ${quote(region.domainName)}`);
    }
  }
  if (region.weight !== undefined) {
    if (policy !== RoutingPolicy.WEIGHTED) {
      throw new DrValidationError(scope, `\`${prop}.weight\` applies to RoutingPolicy.WEIGHTED only, got: ${region.weight} with RoutingPolicy.${policy}`);
    }
    if (Token.isUnresolved(region.weight) || !Number.isInteger(region.weight) || region.weight < 0 || region.weight > 255) {
      throw new DrValidationError(scope, `\`${prop}.weight\` must be a whole number from 0 to 255, got: ${Token.isUnresolved(region.weight) ? Token.asString(region.weight) : region.weight}`);
    }
  }
}
