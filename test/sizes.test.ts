/**
 * docs/sizes.md is written by `npx projen bench:size`; this keeps it from
 * going stale: every handler bundle is listed, at the size it has now.
 * (The module-load times there are measurements, recorded and not checked.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { BUNDLED_HANDLERS, bundleDirectory } from '../src/private/bundled-function';

const root = path.resolve(__dirname, '..');
const doc = fs.readFileSync(path.join(root, 'docs/sizes.md'), 'utf8');

/** The size column of each bundle row, by the bundle's path. */
const recorded = new Map([...doc.matchAll(/^\| `([^`]+\.js)` \| [^|]+ \| ([\d.]+) KiB \|/gm)].map((m) => [m[1], m[2]]));

test.each([...BUNDLED_HANDLERS])('docs/sizes.md records the %s bundle at its current size', (handler) => {
  const file = path.relative(root, path.join(bundleDirectory(handler), 'index.js'));
  const size = (fs.statSync(path.join(root, file)).size / 1024).toFixed(1);
  expect([file, recorded.get(file)]).toEqual([file, size]);
});
