import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { DrValidationError } from './validation';

/**
 * Selects the subnets a construct places its resources in. The default is
 * the VPC's isolated subnets; a VPC without any (or a selection that matches
 * nothing) is refused here, naming `vpc` or `vpcSubnets`, instead of failing
 * inside aws-cdk-lib with a message about subnet groups.
 */
export function selectVpcSubnets(
  scope: IConstruct,
  vpc: ec2.IVpc,
  given: ec2.SubnetSelection | undefined,
  selection: ec2.SubnetSelection,
): ec2.SelectedSubnets {
  if (!given && vpc.isolatedSubnets.length === 0) {
    throw new DrValidationError(scope,
      `\`vpc\` must have isolated subnets (SubnetType.PRIVATE_ISOLATED), where the resources go by default, or \`vpcSubnets\` must select others, got: a VPC with ${vpc.publicSubnets.length} public, ${vpc.privateSubnets.length} private and no isolated subnets`);
  }
  let selected: ec2.SelectedSubnets;
  try {
    selected = vpc.selectSubnets(selection);
  } catch (e) {
    throw new DrValidationError(scope, `\`vpcSubnets\` must select subnets of \`vpc\`: ${(e as Error).message.replace(/\s+$/, '')}`);
  }
  if (selected.subnets.length === 0) {
    throw new DrValidationError(scope, '`vpcSubnets` must select at least one subnet of `vpc`, got: a selection that matches none');
  }
  return selected;
}
