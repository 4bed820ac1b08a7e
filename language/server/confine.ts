/**
 * Restricted Mode for the language server: in an untrusted workspace the server still works, but
 * an `.include` (and include-path completion) reaches only files inside the workspace folders;
 * one outside is a located error and is never read. Pure string work over the host's ids (paths
 * on Node, URI strings in the browser); Node passes `real` so a symbolic link inside the folder
 * that points outside is judged by where it points.
 */
import type { ServiceHost } from '../service/languageService';

/** The form ids are compared in: one kind of slash, no trailing one, drive letters folded. */
function norm(id: string): string {
  const s = id.replace(/\\/g, '/').replace(/\/+$/, '');
  return /^[a-z]:\//i.test(s) ? s.toLowerCase() : s;
}

/** Whether `id` is `folder` or lies under it. */
export function insideFolder(folder: string, id: string): boolean {
  const f = norm(folder);
  const i = norm(id);
  return i === f || i.startsWith(f + '/');
}

export const OUTSIDE_WORKSPACE = 'it is outside the workspace folder, and this workspace is in Restricted Mode (trust it to include files from elsewhere)';

/**
 * `host` with includes confined to `folders()` while `restricted()` says so. `real` gives the
 * id a file resolves to (symbolic links followed), or undefined when it cannot be found.
 */
export function confine(host: ServiceHost, folders: () => string[], restricted: () => boolean, real: (id: string) => string | undefined = (id) => id): ServiceHost {
  const allowed = (id: string): boolean => {
    const where = real(id) ?? id;
    return folders().some((f) => insideFolder(real(f) ?? f, where) || insideFolder(f, where));
  };
  const refused = (id: string) => restricted() && !allowed(id);
  return {
    ...host,
    readFile: (id) => (refused(id) ? undefined : host.readFile(id)),
    readDirectory: host.readDirectory && ((id) => (refused(id) ? undefined : host.readDirectory!(id))),
    includeProblem: (id) => (refused(id) ? OUTSIDE_WORKSPACE : host.includeProblem?.(id)),
  };
}
