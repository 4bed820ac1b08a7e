/** An in-memory SourceHost (tests, the web, unsaved editor buffers). Paths are POSIX-style. */
import { SourceHost } from './asmTypes';

/** Normalize `a/./b/../c` → `a/c`, keeping a leading `/`. */
export function normalizePath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !abs) out.push(part);
  }
  return (abs ? '/' : '') + out.join('/');
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : i === 0 ? '/' : p.slice(0, i);
}

export function memoryHost(files: Record<string, string> | Map<string, string>): SourceHost {
  const map = files instanceof Map ? files : new Map(Object.entries(files));
  return {
    readFile: (path) => map.get(normalizePath(path)) ?? map.get(path),
    resolve: (from, rel) => {
      const dir = dirname(from);
      return normalizePath(rel.startsWith('/') || dir === '' ? rel : `${dir}/${rel}`);
    },
  };
}
