/**
 * The SetIdentifier of a region's record: its role and its region
 * (`primary-us-east-1`). ARC's Route 53 health-check step maps records to
 * regions by the region name in the SetIdentifier, so it must name the region
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html).
 * Kept out of the package's exports: FailoverRouting and the multi-region
 * platform's plan share it.
 */
export function routingSetIdentifier(role: 'primary' | 'secondary', region: string): string {
  return `${role}-${region}`;
}
