import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { PitrTable, VersionedBucket } from '../../src';
import { testStack } from '../util';

const src = path.resolve(__dirname, '..', '..', 'src') + path.sep;

function thrown(fn: () => void): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('validation errors', () => {
  test.each([
    ['PitrTable environmentSuffix', () => new PitrTable(testStack(), 'T', { environmentSuffix: 'Prod_1' })],
    ['PitrTable pointInTimeRecoveryPeriod', () => new PitrTable(testStack(), 'T', { environmentSuffix: 'dev', pointInTimeRecoveryPeriod: Duration.days(36) })],
    ['VersionedBucket environmentSuffix', () => new VersionedBucket(testStack(), 'B', { environmentSuffix: 'a--b' })],
  ])('%s: the stack trace starts at the caller, with no frame in the library\'s own files', (_name, make) => {
    const error = thrown(make);
    expect(error.name).toBe('ValidationError');
    const frames = error.stack!.split('\n').filter((l) => /^\s+at /.test(l));
    expect(frames.filter((f) => f.includes(src))).toEqual([]);
    // The first frame left is this test, the code that passed the bad prop.
    expect(frames[0]).toContain(__filename);
    // The message line is intact.
    expect(error.stack!.split('\n')[0]).toBe(`ValidationError: ${error.message}`);
  });
});
