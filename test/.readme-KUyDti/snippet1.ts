import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EncryptedAurora, PitrTable, VersionedBucket } from 'cdk-dr-platform';

const app = new App();
const stack = new Stack(app, 'Workload', { env: { account: '123456789012', region: 'eu-west-1' } });
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 3,
  natGateways: 0,
  subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});

const database = new EncryptedAurora(stack, 'Database', { environmentSuffix: 'prod', vpc });
const table = new PitrTable(stack, 'Transactions', { environmentSuffix: 'prod' });
const receipts = new VersionedBucket(stack, 'Receipts', { environmentSuffix: 'prod' });

// Nothing reaches the database until you say so.
const appSecurityGroup = new ec2.SecurityGroup(stack, 'AppSecurityGroup', { vpc });
database.allowDefaultPortFrom(appSecurityGroup);
