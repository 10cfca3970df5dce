import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The compliance packs (cdk-nag rule-id prefixes) that share rule names. */
export const COMPLIANCE_PACKS = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'] as const;

/**
 * Acknowledges one finding on one construct, for every pack that reports it.
 * Uses aws-cdk-lib's `Validations`, which cdk-nag 3 honours, so the library
 * needs no run-time dependency on cdk-nag.
 *
 * @param rule the rule name without its pack prefix, e.g. `S3BucketReplicationEnabled`
 * @param packs the pack prefixes, e.g. `AwsSolutions` or the compliance packs
 */
export function acknowledgeFinding(scope: IConstruct, rule: string, packs: readonly string[], reason: string): void {
  Validations.of(scope).acknowledge(...packs.map((pack) => ({ id: `${pack}-${rule}`, reason })));
}
