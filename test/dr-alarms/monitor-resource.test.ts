import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DrAlarms, EncryptedAurora, PitrTable, ProtectedResource, VersionedBucket } from '../../src';
import { isolatedVpc, testStack } from '../util';

const alarmNames = (t: Template) => Object.values<any>(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName).sort();

describe('monitorResource watches a store by its handle, as the method of its kind does', () => {
  test.each([
    ['a database', (s: ReturnType<typeof testStack>) => {
      const db = new EncryptedAurora(s, 'Db', { environmentSuffix: 'dev', vpc: isolatedVpc(s) });
      return { handle: ProtectedResource.fromEncryptedAurora(db), direct: (a: DrAlarms) => a.monitorDatabase(db.cluster, { name: 'orders' }) };
    }],
    ['a table', (s: ReturnType<typeof testStack>) => {
      const table = new PitrTable(s, 'Table', { environmentSuffix: 'dev' });
      return { handle: ProtectedResource.fromPitrTable(table), direct: (a: DrAlarms) => a.monitorTable(table.table, { name: 'orders' }) };
    }],
  ] as const)('%s: the same alarms', (_label, make) => {
    const byHandle = testStack();
    const m = make(byHandle);
    const alarms = new DrAlarms(byHandle, 'Alarms', { environmentSuffix: 'dev' });
    const made = alarms.monitorResource(m.handle, { name: 'orders' });
    const direct = testStack();
    const d = make(direct);
    d.direct(new DrAlarms(direct, 'Alarms', { environmentSuffix: 'dev' }));
    expect(made.length).toBeGreaterThan(0);
    expect(alarmNames(Template.fromStack(byHandle))).toEqual(alarmNames(Template.fromStack(direct)));
  });

  test('a bucket has no alarms of its own: none is made', () => {
    const s = testStack();
    const bucket = new VersionedBucket(s, 'Bucket', { environmentSuffix: 'dev' });
    expect(new DrAlarms(s, 'Alarms', { environmentSuffix: 'dev' }).monitorResource(ProtectedResource.fromVersionedBucket(bucket))).toEqual([]);
  });

  test.each([
    ['a resource given by its ARN', () => ProtectedResource.fromArn('arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1', 'shared-fs'), /got: Other "shared-fs"/],
    ['a function', (s: ReturnType<typeof testStack>) => ProtectedResource.fromFunction(lambda.Function.fromFunctionName(s, 'Fn', 'other')), /got: Lambda "TestStack\/Fn"/],
  ] as const)('%s is refused', (_label, handle, message) => {
    const s = testStack();
    expect(() => new DrAlarms(s, 'Alarms', { environmentSuffix: 'dev' }).monitorResource(handle(s)))
      .toThrow(/^only a database, table or bucket handle made from its construct can be monitored here/);
    expect(() => new DrAlarms(testStack(), 'Alarms', { environmentSuffix: 'dev' }).monitorResource(handle(testStack()))).toThrow(message);
  });
});
