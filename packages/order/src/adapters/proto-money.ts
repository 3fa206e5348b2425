import { create } from "@bufbuild/protobuf";
import { MoneySchema, type Money as ProtoMoney } from "@oms/contracts/common/v1/money";
import type { Money } from "../domain/money.js";

// money.proto asks for JS numbers (jstype JS_NUMBER), but code generated
// without that option uses bigint: accept either so regeneration breaks nothing.
const amountIsBigint = typeof create(MoneySchema).amountMinor === "bigint";

/** Domain money as the protobuf init of `oms.common.v1.Money`. */
export function moneyToProto(money: Money): { currencyCode: string; amountMinor: ProtoMoney["amountMinor"] } {
  const amountMinor = (amountIsBigint ? BigInt(money.amountMinor) : money.amountMinor) as ProtoMoney["amountMinor"];
  return { currencyCode: money.currencyCode, amountMinor };
}

/** Protobuf money as domain money (a missing message is zero of no currency). */
export function moneyFromProto(money: ProtoMoney | undefined): Money {
  return { currencyCode: money?.currencyCode ?? "", amountMinor: Number(money?.amountMinor ?? 0) };
}
