import type { CheckoutLine, Money, Payment } from "../domain/payment.js";

/** Text made safe for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * An amount for people: minor units divided exactly (string arithmetic, no
 * float) and shown with the currency's symbol, e.g. 2550 EUR -> "€25.50".
 */
export function formatMoney(money: Money): string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat("en", { style: "currency", currency: money.currencyCode });
  } catch {
    return `${money.amountMinor} ${money.currencyCode}`;
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const sign = money.amountMinor < 0 ? "-" : "";
  const padded = String(Math.abs(money.amountMinor)).padStart(digits + 1, "0");
  const decimal = digits === 0 ? padded : `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
  // A decimal string keeps every digit exact; NumberFormat accepts it as is.
  return format.format(`${sign}${decimal}` as unknown as number);
}

const style = `
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f1ec;color:#222}
main{max-width:28rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 2px 12px #0001}
h1{font-size:1.4rem;margin:0 0 1rem}
table{width:100%;border-collapse:collapse;margin:1rem 0}
td{padding:.4rem 0;border-bottom:1px solid #eee}
td.amount{text-align:right;white-space:nowrap}
tr.total td{font-weight:600;border-bottom:none;padding-top:.8rem}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
.actions form{flex:1}
button{width:100%;padding:.8rem;font-size:1rem;border:0;border-radius:8px;cursor:pointer}
button.pay{background:#1f7a4d;color:#fff}
button.cancel{background:#e9e4dc;color:#333}
.note{color:#666;font-size:.9rem}
`;

function page(title: string, content: string, refreshSeconds?: number): string {
  const refresh = refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${refresh}
<title>${escapeHtml(title)}</title><style>${style}</style></head>
<body><main>${content}</main></body></html>`;
}

function lineRow(line: CheckoutLine, currencyCode: string): string {
  const lineTotal = formatMoney({ currencyCode, amountMinor: line.unitPriceMinor * line.quantity });
  return `<tr><td>${escapeHtml(String(line.quantity))} × ${escapeHtml(line.name)}</td><td class="amount">${escapeHtml(lineTotal)}</td></tr>`;
}

/** The checkout: the order's lines, its total, and Pay / Cancel as plain HTML forms posting to its token's address. */
export function checkoutPage(payment: Payment): string {
  const base = `/checkout/${encodeURIComponent(payment.checkoutToken)}`;
  return page(
    "Checkout",
    `<h1>Pay for your order</h1>
<p class="note">Order ${escapeHtml(payment.orderId)}</p>
${linesTable(payment)}
<div class="actions">
<form method="post" action="${escapeHtml(`${base}/pay`)}"><button class="pay" type="submit">Pay ${escapeHtml(formatMoney(payment.amount))}</button></form>
<form method="post" action="${escapeHtml(`${base}/cancel`)}"><button class="cancel" type="submit">Cancel</button></form>
</div>
<p class="note">Simulated payment provider: no card is charged.</p>`,
  );
}

/** How a payment stands, in the customer's words; not `final` while the outcome may still change. */
export function standing(payment: Payment): { heading: string; detail: string; final: boolean } {
  switch (payment.status) {
    case "AWAITING_CUSTOMER":
      return { heading: "Waiting for payment", detail: "This payment is waiting for you.", final: false };
    case "SUCCEEDED":
      // Only order's order.paid makes it final: an order cancelled in the same moment gets the money back.
      return payment.orderAccepted
        ? { heading: "Payment received", detail: "Thank you! Your order goes to the kitchen now.", final: true }
        : { heading: "Payment received", detail: "Confirming your order with the restaurant…", final: false };
    case "FAILED":
      return { heading: "Payment cancelled", detail: "Nothing was charged. Your order will be cancelled.", final: true };
    case "CANCELLED":
      return { heading: "Order cancelled", detail: "This order was cancelled before it was paid. Nothing was charged.", final: true };
    case "REFUNDED":
      return { heading: "Payment refunded", detail: "This order had been cancelled, so your payment was refunded.", final: true };
  }
}

/**
 * A payment's status, read only: every payment a real provider (Stripe)
 * takes, and a simulated one once it left AWAITING_CUSTOMER. It is where Pay
 * leads and where the provider sends the customer back, so it says what is
 * stored, reloads itself while that may still change, and links to the
 * provider's page while the payment waits there.
 */
export function statusPage(payment: Payment): string {
  const { heading, detail, final } = standing(payment);
  const waiting = payment.status === "AWAITING_CUSTOMER";
  const link = waiting && payment.provider !== "simulated" && payment.checkoutUrl ? `<p><a href="${escapeHtml(payment.checkoutUrl)}">Continue to payment</a></p>` : "";
  return page(
    heading,
    `<h1>${escapeHtml(heading)}</h1>
<p>${escapeHtml(detail)}</p>
<p class="note">Order ${escapeHtml(payment.orderId)}</p>
${linesTable(payment)}
${link}${final ? "" : '<p class="note">This page updates by itself.</p>'}`,
    final ? undefined : 2,
  );
}

/** A page that says what happened, with an optional detail line. */
export function resultPage(heading: string, detail: string): string {
  return page(heading, `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(detail)}</p>`);
}

function linesTable(payment: Payment): string {
  const rows = payment.lines.map((line) => lineRow(line, payment.amount.currencyCode)).join("");
  return `<table>${rows}<tr class="total"><td>Total</td><td class="amount">${escapeHtml(formatMoney(payment.amount))}</td></tr></table>`;
}
