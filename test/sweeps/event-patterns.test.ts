/**
 * Class 8 of issue 18 (values AWS rejects pass through), for event
 * patterns: EventBridge refuses an empty array or an empty object anywhere
 * in a pattern, and a field whose value is a bare string or number. Sweeps
 * those shapes at every depth of EventForwarding's `eventPattern`; the
 * rule is written out here on its own.
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { attempt } from './harness';
import { EventForwarding } from '../../src';

const ENV = { account: '111111111111', region: 'us-east-1' };

const CASES: Array<[string, events.EventPattern, boolean]> = [
  ['source list', { source: ['aws.backup'] }, true],
  ['source and detail-type', { source: ['aws.backup'], detailType: ['Backup Job State Change'] }, true],
  ['nested detail', { source: ['aws.backup'], detail: { state: ['FAILED', 'EXPIRED'] } }, true],
  ['content filter', { source: ['aws.backup'], detail: { state: [{ 'anything-but': 'COMPLETED' }] } }, true],
  ['deep nesting', { detail: { a: { b: { c: ['x'] } } } }, true],
  ['empty source', { source: [] }, false],
  ['empty detail-type', { source: ['aws.backup'], detailType: [] }, false],
  ['empty array in detail', { source: ['aws.backup'], detail: { state: [] } }, false],
  ['empty array deep', { detail: { a: { b: { c: [] } } } }, false],
  ['empty detail object', { source: ['aws.backup'], detail: {} }, false],
  ['empty object deep', { detail: { a: {} } }, false],
  ['empty pattern', {}, false],
  ['an empty list inside an operator', { detail: { state: [{ 'anything-but': [] }] } } as any, false],
  ['numeric operator', { detail: { size: [{ numeric: ['>', 0] }] } } as any, true],
  ['a bare string in detail', { detail: { state: 'FAILED' } } as any, false],
  ['a bare number in detail', { detail: { size: 3 } } as any, false],
  ['null in detail', { detail: { state: null } } as any, false],
];

test.each(CASES)('%s', (_label, eventPattern, ok) => {
  const verdict = attempt((stack) => new EventForwarding(stack, 'Events', {
    environmentSuffix: 'dev', targetRegion: 'us-west-2', eventPattern, alarmTopic: new sns.Topic(stack, 'Topic'),
  }), { env: ENV });
  expect(verdict.accepted).toBe(ok);
  if (!verdict.accepted) expect(verdict.message).toMatch(/^`eventPattern(\.|`|\[)/);
});
