import { RestoreJobStatus } from '@aws-sdk/client-backup';
import {
  DrillKind, parsePointInTime, parseResourceArn, restoreJobOutcome, restoreMetadataFor, scratchName, scratchNameProblem, scratchResources,
} from '../../src/cli/drill-model';
import { CliError } from '../../src/cli/errors';

const KINDS: DrillKind[] = ['aurora', 'dynamodb', 's3'];

describe('--resource', () => {
  test.each([
    ['arn:aws:rds:eu-west-1:123456789012:cluster:orders', 'aurora', 'orders'],
    ['arn:aws-us-gov:rds:us-gov-west-1:123456789012:cluster:a-b-1', 'aurora', 'a-b-1'],
    ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders.v2_x', 'dynamodb', 'orders.v2_x'],
    ['arn:aws-cn:dynamodb:cn-north-1:123456789012:table/abc', 'dynamodb', 'abc'],
    ['arn:aws:s3:::my-bucket.data', 's3', 'my-bucket.data'],
    ['  arn:aws:s3:::abc  ', 's3', 'abc'],
  ])('%s is a supported %s resource', (arn, kind, name) => {
    expect(parseResourceArn(arn)).toMatchObject({ kind, name });
  });

  test.each([
    ['orders', /must be an ARN/],
    ['', /must be an ARN/],
    ['arn:aws:rds:eu-west-1:123456789012:db:orders-1', /RDS DB instance \(drill its Aurora cluster instead\)/],
    ['arn:aws:lambda:eu-west-1:123456789012:function:f', /a lambda resource "function:f", which cdk-dr drill does not restore/],
    ['arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-1', /elasticfilesystem resource/],
    ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026', /dynamodb resource/],
    ['arn:aws:s3:::Bad_Bucket', /s3 resource/],
    ['arn:aws:s3:eu-west-1:123456789012:accesspoint/x', /s3 resource/],
    ['arn:aws:rds:eu-west-1:123456789012:cluster:1starts-with-digit', /rds resource/],
  ])('%j is refused with the supported list', (arn, message) => {
    const attempt = () => parseResourceArn(arn);
    expect(attempt).toThrow(CliError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/supported: an Aurora \(RDS\) DB cluster.*a DynamoDB table.*an S3 bucket/);
  });
});

describe('scratch names', () => {
  const times = ['2026-01-01T00:00:00Z', '2026-12-31T23:59:59.999Z', '2099-06-15T12:34:56Z', '1999-02-03T04:05:06Z'].map(Date.parse);
  const randoms = [0, 0.5, 0.999999];
  test.each(KINDS)('every %s scratch name at any time and random tail fits AWS\'s rules', (kind) => {
    const names = new Set<string>();
    for (const t of times) {
      for (const r of randoms) {
        const name = scratchName(kind, t, () => r);
        expect(name).toMatch(/^drill-\d{8}-\d{6}-[0-9a-f]{4}$/);
        expect(scratchNameProblem(kind, name)).toBeUndefined();
        names.add(name);
      }
    }
    expect(names.size).toBe(times.length * randoms.length);
  });

  test.each([
    ['aurora', `a${'b'.repeat(62)}`, undefined],
    ['aurora', `a${'b'.repeat(63)}`, /longer than 63/],
    ['aurora', 'a--b', /does not match/],
    ['aurora', 'a-', /does not match/],
    ['s3', 'a'.repeat(63), undefined],
    ['s3', 'a'.repeat(64), /longer than 63/],
    ['s3', 'Upper', /does not match/],
    ['dynamodb', 'a'.repeat(255), undefined],
    ['dynamodb', 'a'.repeat(256), /longer than 255/],
    ['dynamodb', 'ab', /does not match/],
  ] as const)('%s name %s: %s', (kind, name, problem) => {
    const found = scratchNameProblem(kind, name);
    if (problem) expect(found).toMatch(problem); else expect(found).toBeUndefined();
  });

  test('the scratch ARNs are built like the source\'s, the Aurora instance before its cluster', () => {
    expect(scratchResources(parseResourceArn('arn:aws:rds:eu-west-1:123456789012:cluster:live'), 'drill-x').map((r) => r.arn)).toEqual([
      'arn:aws:rds:eu-west-1:123456789012:db:drill-x', 'arn:aws:rds:eu-west-1:123456789012:cluster:drill-x',
    ]);
    expect(scratchResources(parseResourceArn('arn:aws:dynamodb:eu-west-1:123456789012:table/live'), 'drill-x')[0].arn).toBe('arn:aws:dynamodb:eu-west-1:123456789012:table/drill-x');
    expect(scratchResources(parseResourceArn('arn:aws:s3:::live'), 'drill-x')[0].arn).toBe('arn:aws:s3:::drill-x');
  });
});

describe('restore metadata', () => {
  const live = { DBClusterIdentifier: 'live', DBSubnetGroupName: 'platform', VpcSecurityGroupIds: '["sg-1"]', KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k', UseLatestRestorableTime: 'true' };

  test('only the name changes; the network and key are the source\'s', () => {
    const { metadata, overrides } = restoreMetadataFor('aurora', live, 'drill-x');
    expect(metadata).toEqual({ ...live, DBClusterIdentifier: 'drill-x' });
    expect(overrides).toEqual({ DBClusterIdentifier: 'drill-x' });
  });

  test('a key already present keeps its spelling (keys are case-insensitive)', () => {
    const { metadata } = restoreMetadataFor('s3', { DestinationBucketName: 'live', NewBucket: 'false', EncryptionType: 'SSE-KMS' }, 'drill-x');
    expect(metadata).toEqual({ DestinationBucketName: 'drill-x', NewBucket: 'true', EncryptionType: 'SSE-KMS' });
  });

  test('a missing name key is added', () => {
    expect(restoreMetadataFor('dynamodb', { encryptionType: 'Default' }, 'drill-x').metadata).toEqual({ encryptionType: 'Default', targetTableName: 'drill-x' });
  });

  test('a point in time sets the time and drops "use the latest time"', () => {
    const at = new Date('2026-11-30T10:00:00Z');
    const { metadata, removed } = restoreMetadataFor('aurora', live, 'drill-x', at);
    expect(metadata.RestoreToTime).toBe('2026-11-30T10:00:00.000Z');
    expect(metadata.UseLatestRestorableTime).toBeUndefined();
    expect(removed).toEqual(['UseLatestRestorableTime']);
    expect(() => restoreMetadataFor('dynamodb', {}, 'drill-x', at)).toThrow(/not available for dynamodb/);
  });
});

describe('restore job statuses', () => {
  test.each(Object.values(RestoreJobStatus))('the SDK\'s %s has a defined outcome', (status) => {
    const outcome = restoreJobOutcome(status);
    expect(['waiting', 'completed', 'failed']).toContain(outcome);
    expect(outcome).toBe(status === 'COMPLETED' ? 'completed' : status === 'FAILED' || status === 'ABORTED' ? 'failed' : 'waiting');
  });
  test('a status the SDK does not know yet is unknown (waited on until the timeout)', () => {
    expect(restoreJobOutcome('PAUSED')).toBe('unknown');
    expect(restoreJobOutcome(undefined)).toBe('unknown');
  });
});

describe('--point-in-time', () => {
  test.each(['2026-11-30T10:00:00Z', '2026-11-30T10:00Z', '2026-11-30T10:00:00.5+02:00', '2026-11-30T10:00:00-05:30'])('%s is read', (text) => {
    expect(parsePointInTime(text).getTime()).toBe(Date.parse(text));
  });
  test.each(['yesterday', '2026-11-30', '2026-11-30T10:00:00', '2026-13-30T10:00:00Z', '1733000000', '2026-11-30 10:00:00Z'])('%j is refused', (text) => {
    expect(() => parsePointInTime(text)).toThrow(/--point-in-time must be an ISO 8601 time with a zone/);
  });
});
