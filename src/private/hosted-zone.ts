import { Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import { DrValidationError } from './validation';

/**
 * The name of a hosted zone the records go in. A zone imported with
 * `HostedZone.fromHostedZoneId` has none (aws-cdk-lib throws when it is
 * read), yet Route 53 records need it to qualify their names: refused here,
 * naming the prop, instead of failing deep inside aws-cdk-lib.
 */
export function hostedZoneName(scope: IConstruct, prop: string, zone: route53.IHostedZone): string {
  try {
    return zone.zoneName;
  } catch {
    const id = Token.isUnresolved(zone.hostedZoneId) ? 'an id known only at deploy' : zone.hostedZoneId;
    throw new DrValidationError(scope,
      `\`${prop}\` must carry its zone name: import it with HostedZone.fromHostedZoneAttributes({ hostedZoneId, zoneName }); `
      + `a zone imported by id only has no name, and the records need it to qualify \`recordName\`, got: a zone imported by id only (${id})`);
  }
}

/** DNS's limit on a whole name, without the trailing dot: 255 octets on the wire (RFC 1035, 3.1) are 253 characters written out. */
export const MAX_DNS_NAME_LENGTH = 253;
