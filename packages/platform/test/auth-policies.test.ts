import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { MenuService } from "@oms/contracts/menu/v1/menu";
import { describe, expect, it } from "vitest";
import { allow, anyone, authorizationInterceptor, callerOf, servicePolicies, type Authenticator, type Caller } from "../src/auth/index.js";

/** An authenticator that takes the header as the role, to test the door alone. */
const byHeader: Authenticator = {
  authenticate: async (header) => (header ? ({ role: header, subject: `${header}-1` } as Caller) : { role: "anonymous" }),
};

function menuWith(policies: ReturnType<typeof servicePolicies>) {
  const seen: Caller[] = [];
  const transport = createRouterTransport(
    (router) =>
      router.service(MenuService, {
        listItems: (_request, context) => (seen.push(callerOf(context)), { items: [] }),
        getItems: () => ({ items: [] }),
        upsertItem: () => ({}),
      }),
    { router: { interceptors: [authorizationInterceptor(policies, byHeader)] } },
  );
  return { client: createClient(MenuService, transport), seen };
}

const code = (call: Promise<unknown>) =>
  call.then(
    () => "ok",
    (error: unknown) => Code[(error as ConnectError).code],
  );

describe("access policies", () => {
  const policies = servicePolicies(MenuService, { listItems: anyone, getItems: allow("customer", "service"), upsertItem: allow("staff") });

  it("lets each role through only where its method's rule lists it, and hands the handler the caller", async () => {
    const { client, seen } = menuWith(policies);
    const as = (role?: string) => ({ headers: role ? { authorization: role } : {} });
    expect(await code(client.listItems({}, as()))).toBe("ok");
    expect(await code(client.getItems({}, as()))).toBe("Unauthenticated");
    expect(await code(client.getItems({}, as("customer")))).toBe("ok");
    expect(await code(client.getItems({}, as("staff")))).toBe("PermissionDenied");
    expect(await code(client.upsertItem({}, as("customer")))).toBe("PermissionDenied");
    expect(await code(client.upsertItem({}, as("staff")))).toBe("ok");
    await client.listItems({}, as("staff"));
    expect(seen.at(-1)).toEqual({ role: "staff", subject: "staff-1" });
  });

  it("refuses a method that has no rule", async () => {
    const partial = new Map([...policies].filter(([path]) => !path.endsWith("/UpsertItem")));
    const { client } = menuWith(partial);
    expect(await code(client.upsertItem({}, { headers: { authorization: "staff" } }))).toBe("PermissionDenied");
  });

  it("will not build a table that misses a method or names one the service lacks", () => {
    expect(() => servicePolicies(MenuService, { listItems: anyone, getItems: anyone } as never)).toThrow(/UpsertItem has no access policy/);
    expect(() => servicePolicies(MenuService, { listItems: anyone, getItems: anyone, upsertItem: anyone, deleteItem: anyone } as never)).toThrow(/deleteItem/);
  });
});
