/** Removes the run's temp folder made by jest-global-setup.ts. */
import * as fs from 'fs';

export default function globalTeardown(): void {
  const root = process.env.CDK_DR_TEST_TMPDIR;
  if (root && !process.env.KEEP_TEST_TMPDIR) {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
