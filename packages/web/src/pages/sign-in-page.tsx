import { useState } from "react";
import { useApp } from "../app-context.js";
import { ErrorNote } from "../components.js";
import { sessionFromToken } from "../session.js";
import { navigate } from "../router.js";

/**
 * Staff sign-in for a development setup: paste a staff token. `pnpm start`
 * prints one (STAFF_TOKEN, from the development issuer); with a real identity
 * provider, a staff member's token from it. The services check the token on
 * every call; the page only reads its role to choose what to show.
 */
export function SignInPage() {
  const { setSession } = useApp();
  const [token, setToken] = useState("");
  const [problem, setProblem] = useState<string>();
  const submit = (event: { preventDefault(): void }) => {
    event.preventDefault();
    try {
      const session = sessionFromToken(token.trim());
      if (session.role !== "staff") throw new Error("that is a customer's token; staff tokens list the staff role");
      setSession(session);
      navigate("/staff/orders");
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <section aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Staff sign-in</h1>
      <p>
        Paste a staff token. <code>pnpm start</code> prints one as <code>STAFF_TOKEN</code>.
      </p>
      <form onSubmit={submit}>
        <label htmlFor="token">Staff token</label>
        <textarea id="token" value={token} onChange={(event) => setToken(event.target.value)} rows={4} required />
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
      {problem && <ErrorNote>{problem}</ErrorNote>}
    </section>
  );
}
