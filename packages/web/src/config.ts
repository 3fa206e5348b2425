/** Where the services and the development issuer answer, as /config.json tells the page. */
export interface WebConfig {
  menu: string;
  stock: string;
  order: string;
  payment: string;
  kitchen: string;
  /** The development issuer (guest tokens); absent when a real identity provider is configured. */
  issuer?: string;
}

/** Reads /config.json, served beside the app by the embedded default and by Vite's dev server. */
export async function loadConfig(): Promise<WebConfig> {
  const response = await fetch("/config.json");
  if (!response.ok) throw new Error(`the page could not read its settings (/config.json answered ${response.status})`);
  return (await response.json()) as WebConfig;
}
