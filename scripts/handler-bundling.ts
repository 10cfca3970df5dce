/**
 * Bundles the library's Lambda handlers (BUNDLED_HANDLERS in
 * src/private/bundled-function.ts) from `src/<name>.lambda.ts` into
 * `assets/<name>.lambda/index.js`, for BundledFunction. Run by the `bundle`
 * task (`bundle:handlers`, .projenrc.ts). It calls esbuild's API rather than
 * its command line for one reason: the `inlineSchemaKeys` plugin below,
 * which the command line cannot load. docs/sizes.md records the results.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { BUNDLED_HANDLERS, BundledHandler } from '../src/private/bundled-function';
import { HANDLER_NODE_MAJOR_FLOOR } from '../src/private/node-runtime';

const root = path.resolve(__dirname, '..');

/** The schema modules of the AWS SDK clients (ES module builds). */
export const SCHEMA_MODULE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

/**
 * Rewrites the computed keys of a generated SDK schema module whose names are
 * the module's own string constants (`{ [_e]: _c }`, where the module declares
 * `const _e = "error";`) into the same keys written out (`{ "error": _c }`).
 * The objects are identical; the difference is that esbuild treats a computed
 * key as code that may run (a key is converted to a string when the object is
 * built), so it keeps every schema whose literal has one, used or not, and
 * with them the strings and schemas they refer to. Written out, an unused
 * schema is dead code that esbuild drops: the S3 client's schemas in a bundle
 * that sends two S3 commands went from 67 to 10 KiB.
 *
 * Only names declared exactly once in the module, by a top-level
 * `const _name = "...";` line, are replaced; anything else is left as it is.
 * test/handler-bundling.test.ts evaluates every client's schema module both
 * ways and requires the same exports.
 */
export function inlineSchemaKeys(source: string): { code: string; replaced: number } {
  const constants = new Map<string, string>();
  for (const m of source.matchAll(/^const (_[A-Za-z0-9_]+) = ("(?:[^"\\\n]|\\.)*");$/gm)) {
    const declarations = source.match(new RegExp(`\\b(?:const|let|var|function|class)\\s+${m[1].replace(/\$/g, '\\$')}\\b`, 'g'))?.length ?? 0;
    if (declarations === 1) constants.set(m[1], m[2]);
  }
  let replaced = 0;
  const code = source.replace(/\[(_[A-Za-z0-9_]+)\]:/g, (whole, name: string) => {
    const value = constants.get(name);
    if (value === undefined) return whole;
    replaced++;
    return `${value}:`;
  });
  return { code, replaced };
}

/** The esbuild plugin that applies `inlineSchemaKeys` to the SDK's schema modules. */
export const inlineSchemaKeysPlugin: esbuild.Plugin = {
  name: 'inline-sdk-schema-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMA_MODULE }, async (args) => ({
      contents: inlineSchemaKeys(await fs.promises.readFile(args.path, 'utf8')).code,
      loader: 'js',
    }));
  },
};

/** The esbuild options of one handler's bundle. */
export function handlerBuildOptions(handler: BundledHandler): esbuild.BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [`src/${handler}.lambda.ts`],
    outfile: `assets/${handler}.lambda/index.js`,
    bundle: true,
    platform: 'node',
    // Every runtime a BundledFunction may get, from the floor up (src/private/node-runtime.ts).
    target: `node${HANDLER_NODE_MAJOR_FLOOR}`,
    tsconfig: 'tsconfig.dev.json',
    // pg's optional native binding is not installed and never used: pg falls back to JavaScript.
    external: ['pg-native'],
    minify: true,
    // The ES module builds of the AWS SDK and Powertools, which esbuild can
    // tree-shake: the CommonJS builds are one file per client with every
    // command in it. This cut the bundles by a third (docs/sizes.md).
    mainFields: ['module', 'main'],
    // In Lambda the SDK's credentials come from the environment: the default
    // chain's other providers (SSO, profiles, STS, metadata) are replaced by
    // src/private/lambda-credentials.ts, about 110 KiB less in each bundle.
    alias: { '@aws-sdk/credential-provider-node': './src/private/lambda-credentials.ts' },
    plugins: [inlineSchemaKeysPlugin],
    logLevel: 'warning',
  };
}

async function main(): Promise<void> {
  await Promise.all(BUNDLED_HANDLERS.map((handler) => esbuild.build(handlerBuildOptions(handler))));
  for (const handler of BUNDLED_HANDLERS) {
    const file = `assets/${handler}.lambda/index.js`;
    console.log(`${file}: ${(fs.statSync(path.join(root, file)).size / 1024).toFixed(1)} KiB`);
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
