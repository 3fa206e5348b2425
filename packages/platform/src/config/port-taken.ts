import { ConfigError } from "./read-config.js";

/**
 * A port listen() could not take, as a ConfigError naming the variable it
 * came from (MENU_PORT, AUTH_DEV_ISSUER_PORT...); undefined for any other error.
 */
export function portTakenError(error: unknown, variable: string, host: string, port: number): ConfigError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== "EADDRINUSE" && code !== "EACCES") return undefined;
  const why = code === "EADDRINUSE" ? "is in use (is another OMS still running?)" : "may not be used by this user";
  return new ConfigError(`${variable}=${port}: port ${port} on ${host} ${why}; set ${variable} to a free port`);
}
