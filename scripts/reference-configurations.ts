// The configurations the refactor checks and the logical-id contract cover:
// the reference apps as users deploy them, with and without DESTROY, and
// both platforms with every option on. Used by scripts/synth-references.ts,
// scripts/cost-table.ts and the tests (logical ids, compliance, posture,
// dashboards, service principals, synth warnings).
import { App, CfnWaitConditionHandle, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { addDataLayer } from '../examples/data-layer/app';
import { addMultiRegionReference } from '../examples/multi-region/app';
import { addReferenceStack } from '../examples/reference/app';
import { HandlerRuntime, MultiRegionDrPlatform, RestoreDrills, SingleRegionDrPlatform } from '../src';
import { STRICT_VALIDATION_CONTEXT } from './strict-validation';

const PRIMARY = { account: '111111111111', region: 'us-east-1' };
const SECONDARY = { account: '111111111111', region: 'us-west-2' };
const code = lambda.Code.fromInline('exports.handler = async () => ({})');

/** Adds the stacks of one configuration to an app. */
export type Configuration = (app: App) => void;

function everyOptionSingle(removalPolicy?: RemovalPolicy): Configuration {
  return (app) => {
    const stack = new Stack(app, 'SingleEveryOption', { env: PRIMARY });
    const platform = new SingleRegionDrPlatform(stack, 'Platform', {
      environmentSuffix: 'all',
      removalPolicy,
      alarmEmails: ['oncall@example.com'],
      restoreDrills: RestoreDrills.enabled(),
      auditEvidence: true,
    });
    platform.addFunction('Processor', { code, handler: 'index.handler', runtime: HandlerRuntime.newestNodejs(stack) });
  };
}

function everyOptionMulti(removalPolicy?: RemovalPolicy): Configuration {
  return (app) => {
    const zoneStack = new Stack(app, 'Zone', { env: PRIMARY });
    new CfnWaitConditionHandle(zoneStack, 'Placeholder');
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(zoneStack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    const platform = new MultiRegionDrPlatform(app, 'Multi', {
      environmentSuffix: 'all',
      primary: PRIMARY,
      secondary: SECONDARY,
      removalPolicy,
      alarmEmails: ['oncall@example.com'],
      restoreDrills: RestoreDrills.enabled(),
      routing: { hostedZone, recordName: 'payments', primaryDomainName: 'payments-use1.example.com', secondaryDomainName: 'payments-usw2.example.com' },
      peering: true,
      eventForwarding: true,
    });
    platform.addFunction('Processor', { code, handler: 'index.handler', runtime: HandlerRuntime.newestNodejs(app) });
  };
}

/** Each configuration: what it adds to an app, and the app's context (besides `environmentSuffix: ci`). */
export const CONFIGURATIONS: Record<string, [Configuration, Record<string, string>]> = {
  'reference': [(app) => { addReferenceStack(app); }, {}],
  'reference-destroy': [(app) => { addReferenceStack(app); }, { destroy: 'true' }],
  'data-layer': [(app) => { addDataLayer(app); }, {}],
  'multi-region': [(app) => { addMultiRegionReference(app); }, {}],
  'multi-region-destroy': [(app) => { addMultiRegionReference(app); }, { destroy: 'true' }],
  'single-every-option': [everyOptionSingle(), {}],
  'single-every-option-destroy': [everyOptionSingle(RemovalPolicy.DESTROY), {}],
  'multi-every-option': [everyOptionMulti(), {}],
};

/**
 * Synthesizes one configuration into a temporary cloud assembly (the caller
 * removes its directory). With `validate`, aws-cdk-lib's CloudFormation
 * schema validation runs strictly: any finding fails the synthesis
 * (test/compliance.test.ts). Without it, none runs: unless strict its
 * findings are only warnings, and the validator is most of a synth's time.
 */
export function synthesizeConfiguration(name: string, options: { validate?: boolean } = {}): cxapi.CloudAssembly {
  const [configure, context] = CONFIGURATIONS[name];
  const validate = options.validate ?? false;
  const app = new App({
    builtinCloudFormationValidation: validate,
    context: {
      ...(validate ? STRICT_VALIDATION_CONTEXT : {}),
      environmentSuffix: 'ci',
      ...context,
    },
  });
  configure(app);
  return app.synth();
}
