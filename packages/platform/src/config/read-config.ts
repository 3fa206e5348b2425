/** Raised at start-up for a bad configuration value; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export type Env = Record<string, string | undefined>;

/** A field reads one variable from the environment and returns its typed value or throws ConfigError. */
export type Field<T> = (env: Env) => T;

type Shape = Record<string, Field<unknown>>;
type Parsed<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

/**
 * Reads every field of `shape` from `env`, collecting all problems so a user
 * fixes them in one go; throws one ConfigError listing each bad variable.
 */
export function readConfig<S extends Shape>(shape: S, env: Env = process.env): Parsed<S> {
  const result: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, field] of Object.entries(shape)) {
    try {
      result[key] = field(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  return result as Parsed<S>;
}
