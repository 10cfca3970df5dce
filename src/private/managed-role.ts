import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * A role whose permissions live in one customer-managed policy rather than
 * an inline default policy (which the NIST, HIPAA and PCI packs reject) or
 * an AWS-managed policy (which AwsSolutions rejects). The policy is created
 * with its first statement: IAM refuses an empty managed policy.
 */
export class ManagedPolicyRole extends Construct {
  public readonly role: iam.Role;
  private readonly description: string;
  private managedPolicy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: { assumedBy: iam.IPrincipal; description: string }) {
    super(scope, id);
    this.description = props.description;
    this.role = new iam.Role(this, 'Role', { assumedBy: props.assumedBy, description: props.description });
  }

  /** The managed policy, once a statement has been added. */
  public get policy(): iam.ManagedPolicy | undefined {
    return this.managedPolicy;
  }

  public addStatements(...statements: iam.PolicyStatement[]): iam.ManagedPolicy {
    if (!this.managedPolicy) {
      this.managedPolicy = new iam.ManagedPolicy(this, 'Policy', { description: this.description, roles: [this.role] });
    }
    this.managedPolicy.addStatements(...statements);
    return this.managedPolicy;
  }
}
