import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A count of AWS Backup jobs in one vault that does not depend on which
 * dimension combinations AWS publishes.
 *
 * AWS documents the AWS/Backup job metrics with the dimensions resource type
 * and vault name together; whether a series with the vault name alone is
 * published is not documented. An alarm on a series that does not exist
 * sees no data: a dead man's switch would be in ALARM forever and a failure
 * alarm would never fire. So the count is computed from both:
 *
 *   MAX([FILL(vault, 0), SUM([FILL(vault+type1, 0), FILL(vault+type2, 0), ...])])
 *
 * Where the vault-only series exists it is the vault's total, and so is the
 * sum over the resource types the plan protects; MAX of the two is that
 * total either way, never counted twice. CloudWatch Metrics Insights could
 * query every series of the vault at once, but an alarm on a Metrics
 * Insights query cannot use it inside metric math, and SEARCH cannot be
 * alarmed on at all; explicit metrics in one math expression (at most 10
 * per alarm) can.
 */
export function vaultJobCount(
  metricName: string,
  vaultName: string,
  resourceTypes: readonly string[],
  period: Duration,
  label?: string,
): cloudwatch.MathExpression {
  const types = [...new Set(resourceTypes)].sort();
  if (types.length > MAX_RESOURCE_TYPES) {
    throw new Error(`at most ${MAX_RESOURCE_TYPES} resource types fit in one alarm's metric math, got: ${types.join(', ')}`);
  }
  const metric = (dimensionsMap: Record<string, string>) => new cloudwatch.Metric({
    namespace: 'AWS/Backup',
    metricName,
    dimensionsMap,
    statistic: cloudwatch.Stats.SUM,
    period,
  });
  // Ids carry the metric's name: a graph of several counts needs them distinct.
  const prefix = metricName.replace(/[^A-Za-z]/g, '').toLowerCase();
  const vaultId = `${prefix}_vault`;
  const usingMetrics: Record<string, cloudwatch.IMetric> = { [vaultId]: metric({ BackupVaultName: vaultName }) };
  types.forEach((resourceType, i) => {
    usingMetrics[`${prefix}_type${i}`] = metric({ BackupVaultName: vaultName, ResourceType: resourceType });
  });
  const perType = types.map((_, i) => `FILL(${prefix}_type${i}, 0)`);
  const expression = perType.length === 0
    ? `FILL(${vaultId}, 0)`
    : `MAX([FILL(${vaultId}, 0), SUM([${perType.join(', ')}])])`;
  return new cloudwatch.MathExpression({ expression, usingMetrics, period, label: label ?? metricName });
}

/** One series for the vault alone, the rest per resource type: CloudWatch allows 10 metrics per alarm. */
export const MAX_RESOURCE_TYPES = 9;
