import { X509Certificate } from 'crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { checkRequest, smokeQuery, trustedCertificates } from '../../src/restore-drill/smoke-query.lambda';

jest.mock('pg', () => ({ Client: jest.fn() }));

const good = { host: 'h.cluster-x.eu-west-1.rds.amazonaws.com', port: 5432, database: 'app', user: 'postgres', password: 'p' };

test('a complete request passes', () => {
  expect(checkRequest(good)).toBe(good);
});

test.each([
  [undefined, 'host must be a non-empty string'],
  [{ ...good, host: '' }, 'host must be a non-empty string'],
  [{ ...good, password: undefined }, 'password must be a non-empty string'],
  [{ ...good, port: 0 }, 'port must be a whole number from 1 to 65535, got: 0'],
  [{ ...good, port: 70000 }, 'got: 70000'],
  [{ ...good, port: '5432' }, 'port must be a whole number'],
])('a bad request %j is refused with what is wrong', (request, message) => {
  expect(() => checkRequest(request)).toThrow(message);
});

test('the error never carries the password', () => {
  expect(() => checkRequest({ ...good, port: -1, password: 'secret-value' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret-value') }));
});

/** Sets DB_SSL_CA (or removes it, for undefined) around `fn`. */
function withCaFile<T>(file: string | undefined, fn: () => T): T {
  const saved = process.env.DB_SSL_CA;
  if (file === undefined) delete process.env.DB_SSL_CA; else process.env.DB_SSL_CA = file;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.DB_SSL_CA; else process.env.DB_SSL_CA = saved;
  }
}

describe('the CAs the restored copy is verified with', () => {
  const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-2', 'ap-southeast-2', 'ap-southeast-4'];
  const GENERATIONS = ['RSA2048 G1', 'RSA4096 G1', 'ECC384 G1'];
  const bundled = () => withCaFile(undefined, () => [trustedCertificates()].flat());
  const commonNames = () => bundled().map((pem) => /CN=([^\n]*)/.exec(new X509Certificate(pem).subject)?.[1]);

  test.each(REGIONS.flatMap((r) => GENERATIONS.map((g) => [r, g])))('without DB_SSL_CA, the bundled Amazon RDS %s Root CA %s', (region, generation) => {
    expect(commonNames()).toContain(`Amazon RDS ${region} Root CA ${generation}`);
  });

  test('every bundled certificate is a CA certificate', () => {
    const certs = bundled().map((pem) => new X509Certificate(pem));
    expect(certs.length).toBeGreaterThan(50);
    expect(certs.every((c) => c.ca)).toBe(true);
  });

  test('DB_SSL_CA replaces the bundled CAs (a local server in tests)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smoke-ca-'));
    try {
      const file = path.join(dir, 'ca.pem');
      writeFileSync(file, 'LOCAL PEM');
      expect(withCaFile(file, trustedCertificates)).toBe('LOCAL PEM');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the connection verifies the server with the bundled CAs unless told otherwise', async () => {
    const ClientMock = Client as unknown as jest.Mock;
    ClientMock.mockImplementation(() => ({
      on: jest.fn(),
      connect: jest.fn().mockRejectedValue(new Error('stop here')),
      end: jest.fn().mockResolvedValue(undefined),
    }));
    await withCaFile(undefined, () => expect(smokeQuery(good)).rejects.toThrow('stop here'));
    expect(ClientMock.mock.calls[0][0].ssl).toEqual({ rejectUnauthorized: true, ca: bundled() });
    await expect(smokeQuery(good, { ca: 'GIVEN' })).rejects.toThrow('stop here');
    expect(ClientMock.mock.calls[1][0].ssl).toEqual({ rejectUnauthorized: true, ca: 'GIVEN' });
  });

  test('the deployed bundle carries the RDS CAs, so it does not depend on the Lambda runtime\'s CA file', () => {
    const bundle = readFileSync(path.join(__dirname, '..', '..', 'assets', 'restore-drill', 'smoke-query.lambda', 'index.js'), 'utf8');
    const someRoot = bundled().find((pem) => new X509Certificate(pem).subject.includes('Amazon RDS eu-west-1 Root CA RSA4096 G1'))!;
    expect(bundle).toContain(someRoot.split('\n')[1]);
  });
});
