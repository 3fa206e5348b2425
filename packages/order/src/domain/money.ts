/** An amount in integer minor units of an ISO-4217 currency: never a float. */
export interface Money {
  currencyCode: string;
  amountMinor: number;
}

/** `amount` times `quantity`, same currency. */
export function times(amount: Money, quantity: number): Money {
  return { currencyCode: amount.currencyCode, amountMinor: amount.amountMinor * quantity };
}
