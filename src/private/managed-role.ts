import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * A role whose permissions all live in one customer-managed policy: every
 * statement added to it, by `grant*` methods of aws-cdk-lib included, lands
 * there instead of in an inline default policy (which the NIST, HIPAA and
 * PCI packs reject). The policy is created with the first statement, since
 * IAM refuses an empty managed policy.
 */
export class ManagedPolicyRole extends iam.Role {
  private managedPolicy?: iam.ManagedPolicy;
  private readonly policyDescription: string;

  constructor(scope: Construct, id: string, props: { assumedBy: iam.IPrincipal; description: string; roleName?: string }) {
    super(scope, id, { assumedBy: props.assumedBy, description: props.description, roleName: props.roleName });
    this.policyDescription = props.description;
  }

  /** The managed policy, once a statement has been added. */
  public get policy(): iam.ManagedPolicy | undefined {
    return this.managedPolicy;
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.addStatements(statement);
    return { statementAdded: true, policyDependable: this.managedPolicy };
  }

  public addStatements(...statements: iam.PolicyStatement[]): iam.ManagedPolicy {
    if (!this.managedPolicy) {
      this.managedPolicy = new iam.ManagedPolicy(this, 'Policy', { description: this.policyDescription, roles: [this] });
    }
    this.managedPolicy.addStatements(...statements);
    return this.managedPolicy;
  }
}
