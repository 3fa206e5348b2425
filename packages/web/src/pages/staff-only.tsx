import type { ReactNode } from "react";
import { useApp } from "../app-context.js";
import { href } from "../router.js";

/** Staff pages show nothing to anyone else (the services refuse them too): a customer is sent to sign in as staff. */
export function StaffOnly({ children }: { children: ReactNode }) {
  const { session } = useApp();
  if (session?.role === "staff") return children;
  return (
    <section aria-labelledby="staff-only-title" data-testid="staff-only">
      <h1 id="staff-only-title">Staff only</h1>
      <p>This page is for the people running the shop.</p>
      <p>
        <a href={href("/staff/sign-in")}>Sign in as staff</a>
      </p>
    </section>
  );
}
