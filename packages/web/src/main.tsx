import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import { loadConfig } from "./config.js";
import "./styles.css";

// Errors are shown on the page; the services decide what is worth a retry (the clients retry nothing by themselves).
const queries = new QueryClient({ defaultOptions: { queries: { retry: 1 }, mutations: { retry: false } } });
const root = createRoot(document.getElementById("root")!);

loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <QueryClientProvider client={queries}>
          <App config={config} />
        </QueryClientProvider>
      </StrictMode>,
    ),
  (error: unknown) => root.render(<p role="alert">{error instanceof Error ? error.message : String(error)}</p>),
);
