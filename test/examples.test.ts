/**
 * Every example app synthesizes, with strict schema validation, and has no
 * unacknowledged cdk-nag findings: the examples are complete apps a team
 * deploys as they are.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addDataLayer } from '../examples/data-layer/app';
import { addReferenceStack } from '../examples/reference/app';
import { ProtectedResourceType } from '../src';
import { missingEndpoints, nagFindings } from './util';

const strict = (context: Record<string, unknown> = {}) => new App({
  context: { '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:strictCfnValidateErrors': true, ...context },
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
    expect(fn.Runtime).toBe('nodejs24.x');
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
