import { checkRequest } from '../../src/restore-drill/smoke-query.lambda';

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
