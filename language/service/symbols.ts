/** Outline (labels with their local labels nested, constants) and workspace-wide symbol search. */
import { DocumentSymbol, SymbolKind, WorkspaceSymbol } from 'vscode-languageserver-types';
import type { SourceDocument } from './document';
import { hex32 } from './isaDocs';
import { Kind } from '../lineInfo';
import type { UnitAnalysis } from './unit';
import type { Workspace } from './workspace';

const range = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });

export function documentSymbols(a: UnitAnalysis, doc: SourceDocument): DocumentSymbol[] {
  const top: DocumentSymbol[] = [];
  let current: DocumentSymbol | undefined;
  let scope = '';
  const close = (line: number) => {
    if (current) current.range.end = { line, character: doc.lines[line]?.length ?? 0 };
  };
  for (let i = 0; i < doc.lineCount; i++) {
    const info = doc.info(i);
    for (const l of info.labels) {
      const full = l.local ? scope + l.name : l.name;
      const sym = a.symbols.get(full);
      const detail = sym && sym.file === doc.uri && sym.line === i ? hex32(sym.value) : undefined;
      const s: DocumentSymbol = { name: l.name, detail, kind: l.local ? SymbolKind.Field : SymbolKind.Function, range: range(i, l.start, doc.lines[i].length), selectionRange: range(i, l.start, l.end) };
      if (l.local && current) {
        (current.children ??= []).push(s);
        current.range.end = { line: i, character: doc.lines[i].length };
      } else if (l.local) top.push(s);
      else {
        // Two global labels on one line: the first ends where the second begins (a range must contain its name).
        if (current && current.range.start.line === i) current.range.end = { line: i, character: l.start };
        else close(i - 1);
        scope = l.name;
        current = s;
        top.push(s);
      }
    }
    const st = info.stmt;
    if (info.kind === Kind.Directive && st && st.kind === 'directive' && st.name === '.equ' && st.args[0] && st.args[0].kind === 'expr' && st.args[0].expr.kind === 'sym') {
      const n = st.args[0];
      const sym = a.symbols.get(a.fullNameAt(doc.uri, i, (n.expr as { name: string }).name));
      top.push({ name: (n.expr as { name: string }).name, detail: sym?.resolved ? `= ${hex32(sym.value)}` : undefined, kind: SymbolKind.Constant, range: range(i, st.start, st.end), selectionRange: range(i, n.start, n.end) });
    }
    if (current && (info.stmt || info.labels.length)) current.range.end = { line: i, character: doc.lines[i].length };
  }
  return top;
}

/** Case-insensitive subsequence match, as editors filter symbol lists. */
export function fuzzyMatch(query: string, name: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let j = 0;
  for (let i = 0; i < n.length && j < q.length; i++) if (n[i] === q[j]) j++;
  return j === q.length;
}

const MAX_RESULTS = 1000;

export function workspaceSymbols(ws: Workspace, query: string): WorkspaceSymbol[] {
  const out: WorkspaceSymbol[] = [];
  const seen = new Set<string>();
  const covered = new Set<string>();
  const push = (name: string, kind: SymbolKind, uri: string, line: number, start: number, end: number, container?: string) => {
    const key = `${uri}:${line}:${name}`;
    if (seen.has(key) || out.length >= MAX_RESULTS || !fuzzyMatch(query, name)) return;
    seen.add(key);
    out.push({ name, kind, location: { uri, range: range(line, start, end) }, containerName: container });
  };
  for (const uri of ws.openUris()) ws.analysis(uri);
  for (const a of ws.knownAnalyses()) {
    for (const f of a.files.keys()) covered.add(f);
    for (const s of a.symbols.values()) {
      const dot = s.name.indexOf('.', 1);
      push(s.name, s.kind === 'equ' ? SymbolKind.Constant : dot > 0 ? SymbolKind.Field : SymbolKind.Function, s.file, s.line, s.col, s.endCol, dot > 0 ? s.name.slice(0, dot) : undefined);
    }
  }
  // Files nobody has opened: their labels and constants, without addresses.
  for (const uri of ws.host.workspaceFiles?.() ?? []) {
    if (covered.has(uri) || out.length >= MAX_RESULTS) continue;
    const doc = ws.document(uri);
    if (!doc) continue;
    for (let i = 0; i < doc.lineCount; i++) {
      const info = doc.info(i);
      for (const l of info.labels) if (!l.local) push(l.name, SymbolKind.Function, uri, i, l.start, l.end);
      const st = info.stmt;
      if (st && st.kind === 'directive' && st.name === '.equ' && st.args[0]?.kind === 'expr' && st.args[0].expr.kind === 'sym') push(st.args[0].expr.name, SymbolKind.Constant, uri, i, st.args[0].start, st.args[0].end);
    }
  }
  return out;
}
