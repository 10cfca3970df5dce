/**
 * Class 8 of issue 18 (values AWS rejects pass through), for DNS names: the
 * record's whole name (its labels plus the zone's) must fit DNS's 255 octets,
 * 253 characters written out, however the length is split between
 * `recordName` and the zone; and class 1 (crash inside aws-cdk-lib) for the
 * zone: one imported without its name is refused by us. Sweeps record names
 * of every length around the limit, relative and fully qualified, in zones of
 * several lengths; the rule is written out here on its own.
 */
import * as route53 from 'aws-cdk-lib/aws-route53';
import { attempt } from './harness';
import { FailoverRouting, RoutedRegion } from '../../src';

const ENV = { account: '123456789012', region: 'us-west-2' };
const PRIMARY: RoutedRegion = { region: 'us-east-1', healthAlarmName: 'dr-region-health-prod', domainName: 'payments-use1.example.net' };
const SECONDARY: RoutedRegion = { region: 'us-west-2', healthAlarmName: 'dr-region-health-prod', domainName: 'payments-usw2.example.net' };

/** A name of `length` characters made of labels of at most 63 characters. */
function nameOf(length: number): string {
  const labels: string[] = [];
  let left = length;
  while (left > 0) {
    const take = Math.min(63, left === 64 ? 62 : left);
    labels.push('a'.repeat(take));
    left -= take + 1;
  }
  const name = labels.join('.');
  return name.length > length ? name.slice(0, length) : name;
}

const ZONES = ['example.com', `${nameOf(100)}.example.com`, `${nameOf(200)}.com`];
const RECORD_LENGTHS = [1, 40, 63, 130, 200, 230, 240, 241, 242, 252, 253, 254, 300];

const cases = ZONES.flatMap((zone) => RECORD_LENGTHS.flatMap((length) => {
  const relative = nameOf(length).replace(/\.$/, '');
  return [
    [`${length}-character relative name in a ${zone.length}-character zone`, zone, relative],
    [`${length}-character name, fully qualified, in a ${zone.length}-character zone`, zone, `${relative}.${zone}.`],
  ] as Array<[string, string, string]>;
}));

describe('a record\'s whole name fits 253 characters, or our error names recordName', () => {
  test.each(cases)('%s', (_label, zoneName, recordName) => {
    const qualified = recordName.endsWith('.') ? recordName.slice(0, -1) : `${recordName}.${zoneName}`;
    const labelsOk = recordName.replace(/\.$/, '').length <= 253;
    const ok = labelsOk && qualified.length <= 253;
    const verdict = attempt((stack) => new FailoverRouting(stack, 'Routing', {
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName }),
      recordName,
      primary: PRIMARY,
      secondary: SECONDARY,
    }), { env: ENV });
    expect({ accepted: verdict.accepted }).toEqual({ accepted: ok });
    if (verdict.accepted) {
      const names = Object.values<any>(verdict.template.Resources).filter((r) => r.Type === 'AWS::Route53::RecordSet').map((r) => r.Properties.Name);
      expect(names).toEqual([`${qualified}.`, `${qualified}.`]);
    } else {
      expect(verdict.message).toMatch(/^`recordName` (in the zone .* makes the name .* characters long: DNS allows 253|must be 1 to 253 characters long)/);
    }
  });
});

describe('a zone without its name', () => {
  test.each([
    ['HostedZone.fromHostedZoneId', (stack: any) => route53.HostedZone.fromHostedZoneId(stack, 'Zone', 'Z0123456789ABCDEFGHIJ')],
    ['PublicHostedZone.fromPublicHostedZoneId', (stack: any) => route53.PublicHostedZone.fromPublicHostedZoneId(stack, 'Zone', 'Z0123456789ABCDEFGHIJ')],
    ['PrivateHostedZone.fromPrivateHostedZoneId', (stack: any) => route53.PrivateHostedZone.fromPrivateHostedZoneId(stack, 'Zone', 'Z0123456789ABCDEFGHIJ')],
  ])('%s is refused, naming hostedZone', (_label, zone) => {
    for (const recordName of ['api', 'api.example.com.']) {
      const verdict = attempt((stack) => new FailoverRouting(stack, 'Routing', { hostedZone: zone(stack), recordName, primary: PRIMARY, secondary: SECONDARY }), { env: ENV });
      expect(verdict.accepted).toBe(false);
      expect((verdict as { message: string }).message).toMatch(/^`hostedZone` must carry its zone name/);
    }
  });
});
