/** Test helpers: an in-memory host, `|` cursor markers, a service over inline sources. */
import type { Position } from 'vscode-languageserver-types';
import { memoryHost } from '../../language/memoryHost';
import { getLanguageService, LanguageService, ServiceHost } from '../../language/service/languageService';

export function memoryServiceHost(files: Map<string, string>): ServiceHost {
  const base = memoryHost(files);
  return {
    readFile: (uri) => files.get(uri),
    resolve: base.resolve,
    readDirectory: (dir) => {
      const prefix = dir.endsWith('/') ? dir : dir + '/';
      const names = new Map<string, boolean>();
      for (const f of files.keys()) {
        if (!f.startsWith(prefix)) continue;
        const rest = f.slice(prefix.length);
        const slash = rest.indexOf('/');
        names.set(slash < 0 ? rest : rest.slice(0, slash), slash >= 0);
      }
      return [...names].map(([name, directory]) => ({ name, directory }));
    },
    workspaceFiles: () => [...files.keys()],
  };
}

/** Split `text` at its cursor marker. */
export function cursor(text: string, marker = '|'): { text: string; pos: Position } {
  const i = text.indexOf(marker);
  if (i < 0) throw new Error('no cursor marker');
  const before = text.slice(0, i);
  const lines = before.split('\n');
  return { text: before + text.slice(i + marker.length), pos: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

export interface Fixture {
  ls: LanguageService;
  files: Map<string, string>;
  uri: string;
}

/** A service with `main` open as /w/main.rasm and other files on "disk". */
export function fixture(main: string, others: Record<string, string> = {}): Fixture {
  const files = new Map<string, string>(Object.entries(others).map(([k, v]) => [k.startsWith('/') ? k : `/w/${k}`, v]));
  const uri = '/w/main.rasm';
  files.set(uri, main);
  const ls = getLanguageService({ host: memoryServiceHost(files), diskTtlMs: 0 });
  ls.openDocument(uri, main, 1);
  return { ls, files, uri };
}

/** A fixture whose main file has a `|` cursor. */
export function at(src: string, others: Record<string, string> = {}, marker = '|'): Fixture & { pos: Position } {
  const { text, pos } = cursor(src, marker);
  return { ...fixture(text, others), pos };
}

export function lines(...ls: string[]): string {
  return ls.join('\n');
}
