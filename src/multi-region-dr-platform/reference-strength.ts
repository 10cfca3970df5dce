import { Stack } from 'aws-cdk-lib';

/**
 * aws-cdk-lib's context key for the strength of the cross-stack references a
 * scope consumes (`cxapi.DEFAULT_CROSS_STACK_REFERENCES`, and what
 * `CrossStackReferences.of(scope).consume()` sets). Written as a string:
 * aws-cdk-lib 2.269, the peer floor, has neither the constant nor the API,
 * and ignores the key.
 */
const CROSS_STACK_REFERENCE_STRENGTH = '@aws-cdk/core:defaultCrossStackReferences';

/**
 * Says "strong" for the references a platform stack consumes (the secondary
 * stack's same-region references to its foundation), which is what
 * aws-cdk-lib defaults to: the template does not change, and the newest
 * aws-cdk-lib stops warning that no strength is configured. An app that set
 * the key keeps its own choice. Call it before the stack has children.
 */
export function consumeStrongReferencesByDefault(stack: Stack): void {
  if (stack.node.tryGetContext(CROSS_STACK_REFERENCE_STRENGTH) === undefined) {
    stack.node.setContext(CROSS_STACK_REFERENCE_STRENGTH, 'strong');
  }
}
