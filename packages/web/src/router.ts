import { useEffect, useState } from "react";

/** The page's route is its hash (#/orders/ID): the app is one file set served as is, with no server-side routes. */
export function useRoute(): string {
  const [route, setRoute] = useState(() => currentRoute());
  useEffect(() => {
    const changed = () => setRoute(currentRoute());
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return route;
}

function currentRoute(): string {
  return window.location.hash.replace(/^#/, "") || "/";
}

export function navigate(route: string): void {
  window.location.hash = route;
}

/** The href of a route, for links. */
export const href = (route: string) => `#${route}`;
