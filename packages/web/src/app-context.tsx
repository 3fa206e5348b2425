import { createContext, useContext } from "react";
import type { WebConfig } from "./config.js";
import type { Session } from "./session.js";
import type { Transports } from "./transports.js";

/** What every page needs: where the services are, how to reach them, and who is using the page. */
export interface AppContextValue {
  config: WebConfig;
  transports: Transports;
  session: Session | undefined;
  setSession: (session: Session | undefined) => void;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error("useApp outside the app");
  return value;
}
