import { WARNING_IDS } from '../../src/private/warnings';

test('every warning id has one form: cdk-dr-platform: and a camelCase name', () => {
  for (const [name, id] of Object.entries(WARNING_IDS)) {
    expect(id).toBe(`cdk-dr-platform:${name}`);
    expect(name).toMatch(/^[a-z][a-zA-Z0-9]*$/);
  }
});
