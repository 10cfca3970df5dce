/**
 * An unqualified Lambda function ARN (no version or alias), capturing its
 * region: what RegionSwitchRehearsal's `markerDatabase` functions are named
 * by, checked at synth (src/region-switch-plan/rehearsal-parts.ts) and again
 * by the handler that invokes them (rehearsal.lambda.ts). Function names are
 * 1 to 64 of letters, digits, hyphens and underscores
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html, FunctionName).
 * Dependency-free: imported by constructs and by handler bundles alike.
 */
export const UNQUALIFIED_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:function:[A-Za-z0-9_-]{1,64}$/;
