import { ManagedPolicy, Role, ServicePrincipal, type AddToPrincipalPolicyResult, type PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * A function's execution role whose every grant lands in one customer-managed policy of its own,
 * rather than in an inline policy (HIPAA and NIST 800-53 ask for no inline policies) or in AWS's
 * AWSLambdaBasicExecutionRole (which may write to any log group). The policy is a child of the
 * role, so the function (which depends on its role) is created after its permissions are.
 */
export class FunctionRole extends Role {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.policy = new ManagedPolicy(this, 'Policy', { roles: [this] });
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
