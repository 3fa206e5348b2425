import type { DevIssuer } from "@oms/platform/auth";

/** The customer the printed customer token belongs to. */
export const demoCustomer = "alice";
/** The staff member the printed staff token belongs to. */
export const demoStaff = "counter";

/** Ready-to-paste `export` lines with a staff and a customer token, and where a page gets a guest token. */
export async function tokenLines(issuer: DevIssuer): Promise<string[]> {
  return [
    "Tokens from the development issuer (valid 12 h; paste into your shell):",
    `  export STAFF_TOKEN=${await issuer.issue(demoStaff, "staff")}`,
    `  export CUSTOMER_TOKEN=${await issuer.issue(demoCustomer, "customer")}`,
    `A page or kiosk gets a guest customer token with: curl -s -X POST ${issuer.url}/guest`,
    "",
  ];
}
