export { ConfigError, readConfig, type Env } from "./read-config.js";
export * as env from "./fields.js";
export { portTakenError } from "./port-taken.js";
