import { ValidationError } from "@oms/platform/errors";

/** An amount in integer minor units of an ISO-4217 currency (never a float). */
export interface Money {
  readonly currencyCode: string;
  readonly amountMinor: number;
}

/**
 * Checks a price and returns a frozen copy. `field` is the path of the money
 * field in the caller's request (e.g. `item.price`), so errors name
 * `item.price.currency_code` or `item.price.amount_minor`.
 */
export function money(currencyCode: string, amountMinor: number, field: string): Money {
  if (!/^[A-Z]{3}$/.test(currencyCode)) {
    throw new ValidationError(`${field}.currency_code`, "must be three upper-case letters (ISO 4217), e.g. EUR");
  }
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw new ValidationError(`${field}.amount_minor`, "must be a whole number of minor units, 0 or more");
  }
  return Object.freeze({ currencyCode, amountMinor });
}
