/**
 * Every test run gets one temp folder, and the test processes use it as
 * their TMPDIR: each App a test synthesizes makes its `cdk.out*` cloud
 * assembly there, and so does anything else a test writes to the temp
 * directory. jest-global-teardown.ts removes the folder when the run ends.
 * The workers inherit the environment set here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export default function globalSetup(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-dr-platform-test-'));
  // Traversable by the `postgres` user the integration tests run PostgreSQL as.
  fs.chmodSync(root, 0o755);
  process.env.CDK_DR_TEST_TMPDIR = root;
  process.env.TMPDIR = root;
}
