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

/** The service's semantic tokens decoded: each token's line, start, length, type and modifiers (`type.mod.mod`). */
export function decodedTokens(f: Fixture): { line: number; ch: number; length: number; type: string }[] {
  const data = f.ls.getSemanticTokens(f.uri).data;
  const legend = f.ls.semanticLegend;
  const out: { line: number; ch: number; length: number; type: string }[] = [];
  let line = 0;
  let ch = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    ch = data[i] ? data[i + 1] : ch + data[i + 1];
    const mods = legend.tokenModifiers.filter((_, b) => data[i + 4] & (1 << b));
    out.push({ line, ch, length: data[i + 2], type: `${legend.tokenTypes[data[i + 3]]}${mods.length ? '.' + mods.join('.') : ''}` });
  }
  return out;
}
