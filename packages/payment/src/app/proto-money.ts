import { create } from "@bufbuild/protobuf";
import { MoneySchema, type Money as ProtoMoney } from "@oms/contracts/common/v1/money";
import type { Money } from "../domain/payment.js";

// money.proto asks for JS numbers (jstype JS_NUMBER), yet the checked-in generated code has bigint:
// decide once, so a regeneration with either setting keeps working.
const generatedAsBigint = typeof create(MoneySchema).amountMinor === "bigint";

/** Domain money as the init of `oms.common.v1.Money`. */
export function protoMoney(money: Money): { currencyCode: string; amountMinor: ProtoMoney["amountMinor"] } {
  const amountMinor = generatedAsBigint ? BigInt(money.amountMinor) : money.amountMinor;
  return { currencyCode: money.currencyCode, amountMinor: amountMinor as ProtoMoney["amountMinor"] };
}
