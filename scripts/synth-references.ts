// Synthesizes the reference apps, and the platforms with every option on,
// into one folder of templates (one file per stack and configuration), so a
// refactor can be checked for template changes:
//   ts-node --project tsconfig.dev.json scripts/synth-references.ts /tmp/before
//   ...refactor...
//   ts-node --project tsconfig.dev.json scripts/synth-references.ts /tmp/after
//   diff -r /tmp/before /tmp/after
// Asset hashes stay in: a changed handler bundle shows as a changed hash.
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnWaitConditionHandle, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { addDataLayer } from '../examples/data-layer/app';
import { addMultiRegionReference } from '../examples/multi-region/app';
import { addReferenceStack } from '../examples/reference/app';
import { HandlerRuntime, MultiRegionDrPlatform, SingleRegionDrPlatform } from '../src';

const PRIMARY = { account: '111111111111', region: 'us-east-1' };
const SECONDARY = { account: '111111111111', region: 'us-west-2' };
const code = lambda.Code.fromInline('exports.handler = async () => ({})');

type Configuration = (app: App) => void;

function everyOptionSingle(removalPolicy?: RemovalPolicy): Configuration {
  return (app) => {
    const stack = new Stack(app, 'SingleEveryOption', { env: PRIMARY });
    const platform = new SingleRegionDrPlatform(stack, 'Platform', {
      environmentSuffix: 'all',
      removalPolicy,
      alarmEmails: ['oncall@example.com'],
      restoreDrills: true,
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
      restoreDrills: true,
      routing: { hostedZone, recordName: 'payments', primaryDomainName: 'payments-use1.example.com', secondaryDomainName: 'payments-usw2.example.com' },
      peering: true,
      eventForwarding: true,
    });
    platform.addFunction('Processor', { code, handler: 'index.handler', runtime: HandlerRuntime.newestNodejs(app) });
  };
}

const CONFIGURATIONS: Record<string, [Configuration, Record<string, string>]> = {
  'reference': [(app) => { addReferenceStack(app); }, {}],
  'reference-destroy': [(app) => { addReferenceStack(app); }, { destroy: 'true' }],
  'data-layer': [(app) => { addDataLayer(app); }, {}],
  'multi-region': [(app) => { addMultiRegionReference(app); }, {}],
  'multi-region-destroy': [(app) => { addMultiRegionReference(app); }, { destroy: 'true' }],
  'single-every-option': [everyOptionSingle(), {}],
  'single-every-option-destroy': [everyOptionSingle(RemovalPolicy.DESTROY), {}],
  'multi-every-option': [everyOptionMulti(), {}],
};

function main(): void {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: scripts/synth-references.ts OUTDIR\n');
    process.exit(2);
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const [name, [configure, context]] of Object.entries(CONFIGURATIONS)) {
    const app = new App({ context: { environmentSuffix: 'ci', ...context } });
    configure(app);
    const assembly = app.synth();
    for (const stack of assembly.stacks) {
      fs.writeFileSync(path.join(out, `${name}.${stack.stackName}.json`), JSON.stringify(stack.template, null, 1) + '\n');
    }
    process.stderr.write(`${name}: ${assembly.stacks.map((s) => s.stackName).join(', ')}\n`);
    fs.rmSync(assembly.directory, { recursive: true, force: true });
  }
}

main();
