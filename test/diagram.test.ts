/**
 * The README's Mermaid diagram against the synthesized reference app: every
 * box is a resource kind the template has, every arrow a reference the
 * template makes, every box drawn inside the VPC reaches the VPC through its
 * references, and every kind of resource the template has is drawn, unless
 * it is plumbing listed below. A change to what the platform deploys fails
 * here until the diagram says it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { testApp } from './util';
import { addReferenceStack } from '../examples/reference/app';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const mermaid = readme.match(/```mermaid\n([\s\S]*?)```/)![1];

/** The resource kind each box stands for. */
const KINDS: Record<string, string> = {
  vpc: 'AWS::EC2::VPC',
  fn: 'AWS::Lambda::Function',
  aurora: 'AWS::RDS::DBCluster',
  instances: 'AWS::RDS::DBInstance',
  endpoints: 'AWS::EC2::VPCEndpoint',
  flowlog: 'AWS::EC2::FlowLog',
  logs: 'AWS::Logs::LogGroup',
  dlq: 'AWS::SQS::Queue',
  table: 'AWS::DynamoDB::Table',
  bucket: 'AWS::S3::Bucket',
  keys: 'AWS::KMS::Key',
  selection: 'AWS::Backup::BackupSelection',
  plan: 'AWS::Backup::BackupPlan',
  vault: 'AWS::Backup::BackupVault',
  rules: 'AWS::Events::Rule',
  alarms: 'AWS::CloudWatch::Alarm',
  dashboard: 'AWS::CloudWatch::Dashboard',
  topic: 'AWS::SNS::Topic',
  drills: 'AWS::Backup::RestoreTestingSelection',
};

/** Kinds the diagram leaves out: each is part of a drawn box and would only crowd it. */
const PLUMBING = new Set([
  'AWS::KMS::Alias', // each key's name
  'AWS::EC2::Subnet', 'AWS::EC2::RouteTable', 'AWS::EC2::SubnetRouteTableAssociation', 'AWS::EC2::Route',
  'AWS::EC2::InternetGateway', 'AWS::EC2::VPCGatewayAttachment', // the VPC's subnets and routes, in its title
  'AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress', // the arrows between boxes in the VPC
  'AWS::IAM::Role', 'AWS::IAM::ManagedPolicy', // the "reads, writes" and "protects" arrows are grants
  'AWS::RDS::DBClusterParameterGroup', 'AWS::RDS::DBSubnetGroup', // the cluster's settings
  'AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy', // resource policies
  'AWS::Backup::RestoreTestingPlan', // the drills' schedule, in the drills box
  'AWS::Lambda::Permission', 'AWS::Lambda::EventInvokeConfig', // how rules and schedules invoke the drawn functions
]);

const boxes = [...mermaid.matchAll(/^\s*(?:subgraph\s+)?(\w+)\s*\[/gm)].map((m) => m[1]);
const arrows = [...mermaid.matchAll(/^\s*(\w+)\s*-->(?:\|[^|]*\|)?\s*(\w+)\s*$/gm)].map((m) => [m[1], m[2]] as const);
const insideVpc = (() => {
  const body = mermaid.match(/subgraph vpc\[[^\n]*\n([\s\S]*?)\n\s*end\b/)![1];
  return [...body.matchAll(/^\s*(\w+)\s*[[(]/gm)].map((m) => m[1]);
})();

const app = testApp();
const stack = addReferenceStack(app);
const resources: Record<string, any> = app.synth().getStackByName(stack.stackName).template.Resources;

/** Logical ids a resource's properties refer to (Ref and Fn::GetAtt). */
function references(value: any, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => references(v, out));
  } else if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string' && resources[value.Ref]) out.add(value.Ref);
    if (Array.isArray(value['Fn::GetAtt']) && resources[value['Fn::GetAtt'][0]]) out.add(value['Fn::GetAtt'][0]);
    Object.values(value).forEach((v) => references(v, out));
  }
  return out;
}
const idsOf = (kind: string) => Object.keys(resources).filter((id) => resources[id].Type === kind);
const refersTo = (id: string) => references(resources[id].Properties);

test('the diagram parses: boxes, arrows and the VPC', () => {
  expect(boxes.length).toBeGreaterThanOrEqual(10);
  expect(arrows.length).toBeGreaterThanOrEqual(10);
  expect(insideVpc).toEqual(expect.arrayContaining(['fn', 'aurora']));
  // Every arrow line was understood: none is left unparsed.
  expect(mermaid.split('\n').filter((l) => l.includes('-->')).length).toBe(arrows.length);
});

test.each(boxes)('box %s is a resource kind the template has', (box) => {
  expect(KINDS[box]).toBeDefined();
  expect(idsOf(KINDS[box]).length).toBeGreaterThan(0);
});

test.each(arrows.map(([from, to]) => [`${from} --> ${to}`, from, to]))('arrow %s is a reference in the template', (_name, from, to) => {
  expect(boxes).toEqual(expect.arrayContaining([from, to]));
  const targets = new Set(idsOf(KINDS[to]));
  const found = idsOf(KINDS[from]).some((id) => [...refersTo(id)].some((ref) => targets.has(ref)));
  expect(found).toBe(true);
});

test.each(insideVpc)('box %s drawn inside the VPC reaches the VPC through its references', (box) => {
  const vpcs = new Set(idsOf('AWS::EC2::VPC'));
  for (const id of idsOf(KINDS[box])) {
    const seen = new Set<string>([id]);
    const queue = [id];
    while (queue.length > 0) {
      for (const next of refersTo(queue.shift()!)) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    expect([...seen].some((s) => vpcs.has(s))).toBe(true);
  }
});

test('every kind of resource the template has is drawn, or is plumbing of a drawn box', () => {
  const drawn = new Set(boxes.map((b) => KINDS[b]));
  const kinds = [...new Set(Object.values(resources).map((r) => r.Type as string))];
  expect(kinds.filter((k) => !drawn.has(k) && !PLUMBING.has(k)).sort()).toEqual([]);
  // The plumbing list names nothing the template lacks.
  expect([...PLUMBING].filter((k) => !kinds.includes(k))).toEqual([]);
});
