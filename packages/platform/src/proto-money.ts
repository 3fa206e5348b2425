import type { Money as ProtoMoney } from "@oms/contracts/common/v1/money";

/** Money as the services' domains hold it: integer minor units (a JS number) of an ISO-4217 currency. */
export interface Money {
  currencyCode: string;
  amountMinor: number;
}

/**
 * Domain money as the init of `oms.common.v1.Money`. Its `amount_minor` is
 * an int64 without a JS type option, so the generated code holds a bigint.
 */
export function moneyToProto(money: Money): { currencyCode: string; amountMinor: bigint } {
  return { currencyCode: money.currencyCode, amountMinor: BigInt(money.amountMinor) };
}

/** Protobuf money as domain money (a missing message is zero of no currency). */
export function moneyFromProto(money: ProtoMoney | undefined): Money {
  return { currencyCode: money?.currencyCode ?? "", amountMinor: Number(money?.amountMinor ?? 0) };
}
