/**
 * What the library's Lambda handler bundles get in place of
 * `@aws-sdk/credential-provider-node`: the handler bundles alias that package
 * to this module (esbuild's `alias`, scripts/handler-bundling.ts), so
 * each SDK client's `credentialDefaultProvider` reads the credentials from
 * the environment and nothing else.
 *
 * The Lambda runtime puts the execution role's credentials in
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 * which is the first link of the SDK's default chain and the one that
 * answers in Lambda. The rest of the chain (SSO, shared config and
 * credentials files, credential_process, web identity, container and
 * instance metadata) never answers there, yet its SSO, STS and sign-in
 * clients weighed about 110 KiB in every handler bundle (docs/sizes.md).
 *
 * Only the handler bundles use this: the `cdk-dr` command line keeps the
 * full chain (profiles, SSO). Never import it from library code.
 */
import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

/** The environment-variable provider, under the name the SDK clients import. */
export function defaultProvider(init?: FromEnvInit): ReturnType<typeof fromEnv> {
  return fromEnv(init);
}
