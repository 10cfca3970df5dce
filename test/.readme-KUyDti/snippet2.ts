import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { EncryptedAurora } from 'cdk-dr-platform';

declare const stack: Stack;
declare const vpc: ec2.IVpc;
declare const role: iam.IRole;

const db = new EncryptedAurora(stack, 'Database', {
  environmentSuffix: 'dev',
  vpc,
  engineVersion: rds.AuroraPostgresEngineVersion.VER_17_9,
  readers: 2,                                // each in a different AZ from the writer
  backupRetention: Duration.days(14),        // 7 to 35 days
  serverlessV2MaxCapacity: 8,                // or instanceType for provisioned instances
});
db.grantConnect(role, 'app_user');           // IAM database authentication
db.grantSecretRead(role);                    // the RDS-managed master secret
