/**
 * Full names of local labels (`scope` + `.name`), made once and kept: the
 * same strings come back on every pass, so building them and hashing them
 * for the symbol map is paid once instead of on every keystroke.
 */
const cache = new Map<string, Map<string, string>>();
let size = 0;
const LIMIT = 200_000;

/** The full name of `name` written under the global label `scope`: names starting with `.` hang off the scope. */
export function fullName(name: string, scope: string): string {
  if (name.charCodeAt(0) !== 46) return name;
  let m = cache.get(scope);
  if (m === undefined) {
    if (size > LIMIT) {
      cache.clear();
      size = 0;
    }
    cache.set(scope, (m = new Map()));
  }
  let full = m.get(name);
  if (full === undefined) {
    full = scope + name;
    m.set(name, full);
    size++;
  }
  return full;
}
