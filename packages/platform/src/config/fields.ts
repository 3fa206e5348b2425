import { ConfigError, type Env, type Field } from "./read-config.js";

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === "" ? undefined : value;
}

function fail(name: string, value: string, expected: string): never {
  throw new ConfigError(`${name}=${JSON.stringify(value)} is not ${expected}`);
}

/** A string; `fallback` undefined makes it optional. */
export function string(name: string, fallback: string): Field<string>;
export function string(name: string): Field<string | undefined>;
export function string(name: string, fallback?: string): Field<string | undefined> {
  return (env) => raw(env, name) ?? fallback;
}

/** A string that must be set. */
export function required(name: string): Field<string> {
  return (env) => {
    const value = raw(env, name);
    if (value === undefined) throw new ConfigError(`${name} is required`);
    return value;
  };
}

/** A whole number within [min, max]. */
export function integer(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): Field<number> {
  return (env) => {
    const value = raw(env, name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || parsed < min || parsed > max) {
      fail(name, value, `a whole number from ${min} to ${max}`);
    }
    return parsed;
  };
}

/** A TCP port, 0 meaning "any free port". */
export function port(name: string, fallback: number): Field<number> {
  return integer(name, fallback, 0, 65535);
}

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration such as `500ms`, `30s`, `15m`, `1h`, returned in milliseconds.
 * A unit is required (`2` could mean 2 ms or 2 s, and guessing wrong is silent);
 * only `0` may go without one.
 */
export function duration(name: string, fallback: string): Field<number> {
  return (env) => {
    const value = raw(env, name) ?? fallback;
    if (value === "0") return 0;
    const match = /^(\d+)(ms|s|m|h)$/.exec(value);
    if (!match) fail(name, value, "a duration with its unit, like 500ms, 30s, 15m or 1h");
    return Number(match[1]) * units[match[2]!]!;
  };
}

/** One of a fixed set of words. */
export function oneOf<const T extends string>(name: string, choices: readonly T[], fallback: T): Field<T> {
  return (env) => {
    const value = raw(env, name) ?? fallback;
    if (!(choices as readonly string[]).includes(value)) fail(name, value, `one of ${choices.join(", ")}`);
    return value as T;
  };
}

/**
 * An absolute URL with one of the given schemes; optional when there is no
 * fallback. Its errors never quote the value: connection URLs carry
 * passwords, and start-up errors end up in logs. They name the variable, the
 * form expected and, for a wrong scheme, the scheme found.
 */
export function url(name: string, schemes: readonly string[]): Field<string | undefined> {
  const expected = `expected scheme ${schemes.join(" or ")}, as in ${schemes[0]}://[user:password@]host[:port][/path] (the value is not shown: it may hold a password)`;
  return (env) => {
    const value = raw(env, name);
    if (value === undefined) return undefined;
    let scheme: string;
    try {
      scheme = new URL(value).protocol.replace(/:$/, "");
    } catch {
      throw new ConfigError(`${name} is not a valid URL; ${expected}`);
    }
    if (!schemes.includes(scheme)) throw new ConfigError(`${name} has the scheme "${scheme}"; ${expected}`);
    return value;
  };
}

/** `true/false/1/0/yes/no`. */
export function boolean(name: string, fallback: boolean): Field<boolean> {
  return (env) => {
    const value = raw(env, name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (["true", "1", "yes"].includes(value)) return true;
    if (["false", "0", "no"].includes(value)) return false;
    fail(name, value, "true or false");
  };
}

/** A share from 0 to 1, such as `0.25`. */
export function fraction(name: string, fallback: number): Field<number> {
  return (env) => {
    const value = raw(env, name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || parsed > 1) fail(name, value, "a share from 0 to 1, like 0.25");
    return parsed;
  };
}
