import { useEffect, useMemo, useRef, useState } from "react";
import { AppContext, type AppContextValue } from "./app-context.js";
import { ErrorNote, Loading } from "./components.js";
import type { WebConfig } from "./config.js";
import { DeadLettersPage } from "./pages/dead-letters-page.js";
import { KitchenPage } from "./pages/kitchen-page.js";
import { MenuEditPage } from "./pages/menu-edit-page.js";
import { MenuPage } from "./pages/menu-page.js";
import { MyOrdersPage } from "./pages/my-orders-page.js";
import { OrderPage } from "./pages/order-page.js";
import { OrdersBoardPage } from "./pages/orders-board-page.js";
import { SignInPage } from "./pages/sign-in-page.js";
import { StaffOnly } from "./pages/staff-only.js";
import { href, navigate, useRoute } from "./router.js";
import { forgetSession, guestSession, readSession, saveSession, type Session } from "./session.js";
import { createTransports } from "./transports.js";

/** The page for a route; staff pages behind StaffOnly. */
function Page({ route }: { route: string }) {
  const order = /^\/orders\/([0-9A-Za-z]+)$/.exec(route);
  if (order) return <OrderPage id={order[1]!} />;
  switch (route) {
    case "/":
      return <MenuPage />;
    case "/orders":
      return <MyOrdersPage />;
    case "/staff/sign-in":
      return <SignInPage />;
    case "/staff/kitchen":
      return <StaffOnly><KitchenPage /></StaffOnly>;
    case "/staff/orders":
      return <StaffOnly><OrdersBoardPage /></StaffOnly>;
    case "/staff/menu":
      return <StaffOnly><MenuEditPage /></StaffOnly>;
    case "/staff/dead-letters":
      return <StaffOnly><DeadLettersPage /></StaffOnly>;
    default:
      return <ErrorNote>There is no page here. <a href={href("/")}>Back to the menu</a></ErrorNote>;
  }
}

/** The shell: navigation for the session's role, the page, and a guest identity made on first visit. */
export function App({ config }: { config: WebConfig }) {
  const [session, setSessionState] = useState<Session | undefined>(() => readSession());
  const [problem, setProblem] = useState<string>();
  const route = useRoute();
  const current = useRef(session);
  current.current = session;
  const transports = useMemo(() => createTransports(config, () => current.current?.token), [config]);
  const setSession = (next: Session | undefined) => {
    if (next) saveSession(next);
    else forgetSession();
    setSessionState(next);
  };
  const needsGuest = !session && route !== "/staff/sign-in";
  useEffect(() => {
    if (!needsGuest) return;
    if (!config.issuer) {
      setProblem("No guest sign-in here: this shop uses its own identity provider.");
      return;
    }
    guestSession(config.issuer).then(setSession, (error: unknown) => setProblem(`Could not start a guest session: ${error instanceof Error ? error.message : String(error)}`));
  }, [needsGuest, config.issuer]);

  const value: AppContextValue = { config, transports, session, setSession };
  const staff = session?.role === "staff";
  const link = (to: string, label: string) => (
    <a href={href(to)} aria-current={route === to ? "page" : undefined}>
      {label}
    </a>
  );
  return (
    <AppContext.Provider value={value}>
      <header>
        <a className="brand" href={href("/")}>
          OMS
        </a>
        <nav aria-label="Main">
          {staff ? (
            <>
              {link("/staff/orders", "Orders")}
              {link("/staff/kitchen", "Kitchen")}
              {link("/staff/menu", "Menu & stock")}
              {link("/staff/dead-letters", "Dead letters")}
            </>
          ) : (
            <>
              {link("/", "Menu")}
              {link("/orders", "My orders")}
            </>
          )}
        </nav>
        <span className="who">
          {session ? `${staff ? "Staff" : "Guest"}: ${session.subject}` : ""}{" "}
          {staff ? (
            <button type="button" onClick={() => { setSession(undefined); navigate("/"); }}>
              Sign out
            </button>
          ) : (
            <a href={href("/staff/sign-in")}>Staff sign-in</a>
          )}
        </span>
      </header>
      <main>{problem ? <ErrorNote>{problem}</ErrorNote> : session || route === "/staff/sign-in" ? <Page route={route} /> : <Loading what="your session" />}</main>
    </AppContext.Provider>
  );
}
