/** A transaction as the API accepts it. */
export interface Transaction {
  readonly transactionId: string;
  readonly accountId: string;
  /** Amount in the currency's major unit, at most two decimals. */
  readonly amount: number;
  /** ISO 4217 code, e.g. EUR. */
  readonly currency: string;
  readonly description?: string;
}

export type Validation = { ok: true; transaction: Transaction } | { ok: false; errors: string[] };

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;
const MAX_AMOUNT = 1_000_000_000;
const KNOWN_FIELDS = new Set(['transactionId', 'accountId', 'amount', 'currency', 'description']);

/**
 * Parses and checks a transaction. Every problem is reported, each naming
 * the field, the value and what is allowed, so a caller can fix them at once.
 */
export function validateTransaction(input: unknown): Validation {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (e) {
      return { ok: false, errors: [`body must be JSON: ${(e as Error).message}`] };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [`body must be a JSON object, got: ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`] };
  }
  const t = value as Record<string, unknown>;
  const errors: string[] = [];
  const quote = (v: unknown) => JSON.stringify(v) ?? String(v);

  if (typeof t.transactionId !== 'string' || !ID.test(t.transactionId)) {
    errors.push(`transactionId must be 1 to 64 letters, digits, '-' or '_' (starting with a letter or digit), got: ${quote(t.transactionId)}`);
  }
  if (typeof t.accountId !== 'string' || !ID.test(t.accountId)) {
    errors.push(`accountId must be 1 to 64 letters, digits, '-' or '_' (starting with a letter or digit), got: ${quote(t.accountId)}`);
  }
  if (typeof t.amount !== 'number' || !Number.isFinite(t.amount) || t.amount <= 0 || t.amount > MAX_AMOUNT
    || Math.round(t.amount * 100) !== Number((t.amount * 100).toFixed(6))) {
    errors.push(`amount must be a number above 0 and at most ${MAX_AMOUNT} with at most two decimals, got: ${quote(t.amount)}`);
  }
  if (typeof t.currency !== 'string' || !CURRENCY.test(t.currency)) {
    errors.push(`currency must be a three-letter ISO 4217 code in capitals, got: ${quote(t.currency)}`);
  }
  if (t.description !== undefined && (typeof t.description !== 'string' || t.description.length > 256)) {
    errors.push(`description must be a string of at most 256 characters, got: ${typeof t.description === 'string' ? `${t.description.length} characters` : quote(t.description)}`);
  }
  for (const key of Object.keys(t)) {
    if (!KNOWN_FIELDS.has(key)) {
      errors.push(`${key} is not a field of a transaction (allowed: ${[...KNOWN_FIELDS].join(', ')})`);
    }
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    transaction: {
      transactionId: t.transactionId as string,
      accountId: t.accountId as string,
      amount: t.amount as number,
      currency: t.currency as string,
      description: t.description as string | undefined,
    },
  };
}
