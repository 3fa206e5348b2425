import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { PaymentService, PaymentStatus, type PaymentSchema } from "@oms/contracts/payment/v1/payment";
import { allow, servicePolicies } from "@oms/platform/auth";
import { moneyToProto } from "@oms/platform/proto-money";
import { withOrderId } from "@oms/platform/telemetry";
import type { PaymentApp } from "./app/payment-app.js";
import type { Payment } from "./domain/payment.js";

/** A payment carries its checkout link and provider reference: staff only (customers see the link on their order). */
export const paymentPolicies = servicePolicies(PaymentService, {
  getPayment: allow("staff"),
});

/**
 * The Connect routes of oms.payment.v1.PaymentService: proto <-> app mapping
 * only; an empty order_id is INVALID_ARGUMENT and an unknown one NOT_FOUND
 * (raised by the use case, mapped by errorMappingInterceptor).
 */
export function paymentRoutes(app: Pick<PaymentApp, "getPayment">): (router: ConnectRouter) => void {
  return (router) =>
    router.service(PaymentService, {
      getPayment: (request) =>
        withOrderId(request.orderId, async () => ({ payment: paymentToProto(await app.getPayment.execute({ orderId: request.orderId })) })),
    });
}

/** A payment as `oms.payment.v1.Payment`. */
export function paymentToProto(payment: Payment): MessageInitShape<typeof PaymentSchema> {
  return {
    id: payment.id,
    orderId: payment.orderId,
    status: PaymentStatus[payment.status],
    amount: moneyToProto(payment.amount),
    checkoutUrl: payment.checkoutUrl,
    provider: payment.provider,
    providerReference: payment.providerReference,
    createTime: timestampFromDate(payment.createTime),
    updateTime: timestampFromDate(payment.updateTime),
    failureReason: payment.failureReason,
  };
}
