/**
 * The app context that makes aws-cdk-lib's CloudFormation schema validation
 * strict: a finding fails the synthesis, warnings included, instead of being
 * printed. Shared by the scripts that synthesize and by the tests.
 */
export const STRICT_VALIDATION_CONTEXT = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/core:strictCfnValidateErrors': true,
} as const;
