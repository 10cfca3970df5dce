import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DrAlarms, VpcLambda } from '../../src';
import { isolatedVpc, testStack } from '../util';

const code = lambda.Code.fromInline('exports.handler = async () => ({})');

function twoVpcLambdas() {
  const stack = testStack();
  const vpc = isolatedVpc(stack);
  const make = (id: string, name?: string) => new VpcLambda(stack, id, {
    environmentSuffix: 'dev', vpc, code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X, name,
  });
  return { stack, make };
}

const alarmNames = (stack: Construct) => Object.values<any>(Template.fromStack(stack as any).findResources('AWS::CloudWatch::Alarm'))
  .map((a) => a.Properties.AlarmName as string)
  .sort();

describe('default names of function alarms', () => {
  test('two VpcLambdas given to one DrAlarms each get alarms named after the VpcLambda', () => {
    const { stack, make } = twoVpcLambdas();
    const orders = make('Orders');
    const payments = make('Payments', 'pay');
    new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', functions: [orders.function, payments.function] });
    expect(alarmNames(stack)).toEqual([
      'dr-fn-orders-duration-dev', 'dr-fn-orders-errors-dev', 'dr-fn-orders-throttles-dev',
      'dr-fn-pay-duration-dev', 'dr-fn-pay-errors-dev', 'dr-fn-pay-throttles-dev',
    ]);
    const template = Template.fromStack(stack);
    for (const id of ['AlarmsFnOrdersErrors', 'AlarmsFnPayErrors']) {
      expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).some((logicalId) => logicalId.startsWith(id))).toBe(true);
    }
  });

  test('the default is the name a platform gives its VpcLambda, so a platform and a user agree', () => {
    const { stack, make } = twoVpcLambdas();
    const orders = make('Orders');
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', functions: [orders.function] });
    expect(() => alarms.monitorFunction(orders.function, { name: `fn-${orders.name}` })).toThrow(/`name` "fn-orders" is already watched here/);
  });

  test('a plain function keeps `fn-{construct id}`', () => {
    const stack = testStack();
    const fn = new lambda.Function(stack, 'Processor', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, timeout: Duration.seconds(30) });
    new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', functions: [fn] });
    expect(alarmNames(stack)).toEqual(['dr-fn-processor-duration-dev', 'dr-fn-processor-errors-dev', 'dr-fn-processor-throttles-dev']);
  });

  test('two functions whose default names still collide are refused, naming both and the way out', () => {
    const stack = testStack();
    const handler = (scope: Construct) => new lambda.Function(scope, 'Handler', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
    const a = handler(new Construct(stack, 'A'));
    const b = handler(new Construct(stack, 'B'));
    expect(() => new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', functions: [a, b] }))
      .toThrow(/the function TestStack\/B\/Handler would be watched as "fn-handler", .* which the function TestStack\/A\/Handler already has here: watch it with monitorFunction and a `name` of its own/);
  });

  test('the collision is avoided with a name of its own', () => {
    const stack = testStack();
    const handler = (scope: Construct) => new lambda.Function(scope, 'Handler', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
    const a = handler(new Construct(stack, 'A'));
    const b = handler(new Construct(stack, 'B'));
    const alarms = new DrAlarms(stack, 'Alarms', { environmentSuffix: 'dev', functions: [a] });
    alarms.monitorFunction(b, { name: 'fn-b' });
    expect(alarmNames(stack)).toContain('dr-fn-b-errors-dev');
    expect(alarmNames(stack)).toContain('dr-fn-handler-errors-dev');
  });
});
