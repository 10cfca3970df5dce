/**
 * Every example app synthesizes, with strict schema validation, and has no
 * unacknowledged cdk-nag findings: the examples are complete apps a team
 * deploys as they are.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { missingEndpoints, nagFindings } from './util';
import { addDataLayer } from '../examples/data-layer/app';
import { addMultiRegionReference } from '../examples/multi-region/app';
import { addReferenceStack } from '../examples/reference/app';
import { STRICT_VALIDATION_CONTEXT } from '../scripts/strict-validation';
import { HandlerRuntime, ProtectedResourceType } from '../src';

const strict = (context: Record<string, unknown> = {}) => new App({
  context: { ...STRICT_VALIDATION_CONTEXT, ...context },
});

describe('reference app', () => {
  test.each([
    ['defaults', {}],
    ['destroy=true', { destroy: 'true' }],
  ])('with %s: schema-valid, zero cdk-nag findings, every function reachable without NAT', (_label, context) => {
    const app = strict({ environmentSuffix: 'ci', ...context });
    const stack = addReferenceStack(app);
    expect(() => app.synth()).not.toThrow();
    expect(nagFindings(stack)).toEqual([]);
    expect(missingEndpoints(Template.fromStack(stack).toJSON() as any)).toEqual([]);
    expect(stack.stackName).toBe('DrReference-ci');
  });

  test('the transaction function is wired to the database, table and bucket, with no dependence on the runtime image\'s CA file', () => {
    const stack = addReferenceStack(new App({ context: { environmentSuffix: 'ci' } }));
    const fn = Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function', {
      Properties: { FunctionName: 'dr-transactions-ci' },
    }))[0].Properties;
    expect(fn.Runtime).toBe(HandlerRuntime.newestNodejs(stack).name);
    expect(Object.keys(fn.Environment.Variables).sort()).toEqual([
      'BUCKET_NAME', 'DB_HOST', 'DB_NAME', 'DB_PORT', 'DB_READER_HOST', 'DB_SECRET_ARN', 'TABLE_NAME',
    ]);
    expect(stack.platform.backup.coverage.map((c) => c.resourceType)).toEqual([
      ProtectedResourceType.AURORA, ProtectedResourceType.DYNAMODB, ProtectedResourceType.S3, ProtectedResourceType.LAMBDA,
    ]);
  });
});

test('data-layer app: schema-valid and zero cdk-nag findings', () => {
  const app = strict();
  const stack = addDataLayer(app);
  expect(() => app.synth()).not.toThrow();
  expect(nagFindings(stack)).toEqual([]);
});

describe('multi-region reference app', () => {
  test.each([
    ['defaults', {}],
    ['destroy=true', { destroy: 'true' }],
  ])('with %s: every stack schema-valid with zero cdk-nag findings, the primary\'s function reachable without NAT', (_label, context) => {
    const app = strict({ environmentSuffix: 'ci', ...context });
    const { platform } = addMultiRegionReference(app);
    expect(() => app.synth()).not.toThrow();
    const stacks = [platform.secondaryFoundationStack, platform.primaryStack, platform.secondaryStack];
    expect(stacks.map((s) => [s.stackName, s.region, nagFindings(s)])).toEqual([
      ['DrMultiRegion-ci-secondary-foundation', 'us-west-2', []],
      ['DrMultiRegion-ci-primary', 'us-east-1', []],
      ['DrMultiRegion-ci-secondary', 'us-west-2', []],
    ]);
    expect(missingEndpoints(Template.fromStack(platform.primaryStack).toJSON() as any)).toEqual([]);
  });

  test('the same transaction handler in both regions, each on its region\'s stores; the primary sized for a global database', () => {
    const app = new App({ context: { environmentSuffix: 'ci' } });
    const { platform, transactions } = addMultiRegionReference(app);
    const fn = (stack: Stack) => Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function', {
      Properties: { FunctionName: 'dr-transactions-ci' },
    }))[0].Properties;
    const primary = fn(platform.primaryStack);
    const secondary = fn(platform.secondaryStack);
    expect(secondary.Handler).toBe(primary.Handler);
    expect(secondary.Runtime).toBe(HandlerRuntime.newestNodejs(app).name);
    expect(Object.keys(secondary.Environment.Variables).sort()).toEqual(Object.keys(primary.Environment.Variables).sort());
    expect(secondary.Environment.Variables.BUCKET_NAME).toBe('dr-data-111111111111-us-west-2-ci');
    expect(transactions.secondary.functionName).toBe(transactions.primary.functionName);
    expect(platform.primary.database.encryptedAurora!.serverlessV2MinCapacity).toBe(8);
    expect(platform.regionLossCoverage.filter((c) => c.heldToRegionRpo).map((c) => c.resourceType)).toEqual([]);
  });
});
