import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DataAccess, SingleRegionDrPlatform } from 'cdk-dr-platform';

const app = new App();
const stack = new Stack(app, 'Payments', { env: { account: '123456789012', region: 'eu-west-1' } });
const platform = new SingleRegionDrPlatform(stack, 'Platform', {
  environmentSuffix: 'prod',
  alarmEmails: ['oncall@example.com'],
});
platform.addFunction('Processor', {
  code: lambda.Code.fromAsset('dist/processor'),
  handler: 'index.handler',
  runtime: lambda.Runtime.NODEJS_24_X,
  bucketAccess: DataAccess.WRITE,
});
