/**
 * Paths that are URI strings (`scheme://authority/a/b.rasm`), as the browser hosts use them: files
 * there live in the editor's file systems (vscode.dev, github.dev), not on a disk. Pure string work.
 */

function split(uri: string): { root: string; path: string } {
  const m = /^([a-z][a-z0-9+.-]*:(?:\/\/[^/?#]*)?)([^?#]*)/i.exec(uri);
  return m ? { root: m[1], path: m[2] || '/' } : { root: '', path: uri };
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

export const uriPaths = {
  isAbsolute: (p: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(p),
  /** `rel` against the folder `base`; a URI or a rooted path in `rel` keeps its own root. */
  resolve(base: string, rel: string): string {
    if (uriPaths.isAbsolute(rel)) return rel;
    const b = split(base);
    return b.root + normalize(rel.startsWith('/') ? rel : `${b.path}/${rel}`);
  },
  dirname(p: string): string {
    const s = split(p);
    const i = s.path.lastIndexOf('/');
    return s.root + (i <= 0 ? '/' : s.path.slice(0, i));
  },
  basename(p: string): string {
    const path = split(p).path;
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  },
  /** `to` relative to the folder `from` when it is inside it; else `to` whole. */
  relative(from: string, to: string): string {
    const prefix = from.endsWith('/') ? from : from + '/';
    return to.startsWith(prefix) ? decodeURIComponent(to.slice(prefix.length)) : to;
  },
};
