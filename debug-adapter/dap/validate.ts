/**
 * Checking what a client sends, before any handler sees it. A check takes an
 * unknown value and returns it typed, or throws an ArgumentError that names
 * the attribute, says what it must be and what came instead: a client (or a
 * person typing into a custom request) can act on it, where a JavaScript
 * error from deep inside a handler ("x is not iterable") tells them nothing.
 *
 * `obj<T>` is typed by the protocol's own interface: every attribute of the
 * interface, optional ones too, must have a check that returns its type, and
 * attributes the interface does not have cannot be listed (see requestSchemas.ts).
 * The checked object keeps only the attributes listed: one the schema forgot
 * can never reach a handler unchecked. Others are dropped, not refused (clients
 * add their own).
 */

export class ArgumentError extends Error {}

export type Check<T> = (value: unknown, at: string) => T;

/** A check per attribute of T, optional ones included: leaving one out does not compile. */
export type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

/** A value as a message shows it: short, whatever it is. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function bad(at: string, want: string, got: unknown): never {
  if (got === undefined) throw new ArgumentError(`'${at}' is missing: it must be ${want}`);
  throw new ArgumentError(`'${at}' must be ${want}, not ${describe(got)}`);
}

/** The longest string accepted anywhere (an expression, a path, base64 data of 1 MiB). */
const MAX_STRING = 4 << 20;

export const str =
  (max = MAX_STRING): Check<string> =>
  (v, at) => {
    if (typeof v !== 'string') bad(at, 'a string', v);
    if (v.length > max) throw new ArgumentError(`'${at}' is too long (${v.length} characters; at most ${max})`);
    return v;
  };

export const bool: Check<boolean> = (v, at) => (typeof v === 'boolean' ? v : bad(at, 'true or false', v));

/** A whole number in [min, max]. */
export const int =
  (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Check<number> =>
  (v, at) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) bad(at, `a whole number from ${min} to ${max}`, v);
    return v;
  };

export const oneOf =
  <T extends string>(...values: T[]): Check<T> =>
  (v, at) =>
    values.includes(v as T) ? (v as T) : bad(at, `one of ${values.map((x) => `'${x}'`).join(', ')}`, v);

export const opt =
  <T>(c: Check<T>): Check<T | undefined> =>
  (v, at) =>
    v === undefined || v === null ? undefined : c(v, at);

/** Anything (a value the adapter never looks into, such as adapterData). */
export const any: Check<unknown> = (v) => v;

/** An attribute the adapter does not use: named in the schema, and dropped. */
export const ignored: Check<undefined> = () => undefined;

export const arr =
  <T>(item: Check<T>, max = 100_000): Check<T[]> =>
  (v, at) => {
    if (!Array.isArray(v)) bad(at, 'a list', v);
    if (v.length > max) throw new ArgumentError(`'${at}' has ${v.length} items; at most ${max}`);
    return v.map((x, i) => item(x, `${at}[${i}]`));
  };

/** An object whose listed attributes pass their checks; absent optional ones stay absent, unlisted ones are dropped. */
export function obj<T = never>(shape: Shape<NoInfer<T>>): Check<T> {
  return checked(shape, false);
}

/** As obj, keeping the attributes it does not list: only for launch, whose configuration parseLaunchConfig checks one by one. */
export function open<T = never>(shape: Shape<NoInfer<T>>): Check<T> {
  return checked(shape, true);
}

function checked<T>(shape: Shape<T>, keepOthers: boolean): Check<T> {
  const checks = Object.entries(shape) as [string, Check<unknown>][];
  return (v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(at, 'an object', v);
    const given = v as Record<string, unknown>;
    const out: Record<string, unknown> = keepOthers ? { ...given } : {};
    for (const [k, c] of checks) {
      const r = c(given[k], at ? `${at}.${k}` : k);
      if (r === undefined) delete out[k];
      else out[k] = r;
    }
    return out as T;
  };
}
