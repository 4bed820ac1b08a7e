/** The unit's diagnostics for one document, as LSP diagnostics with ranges clamped into the document. */
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import type { SourceDocument } from './document';
import type { UnitAnalysis, UnitDiag } from './unit';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** At most this many per document: a file of garbage must not flood the editor or the connection. */
export const MAX_DIAGNOSTICS = 1000;

function toLsp(d: UnitDiag, doc: SourceDocument): Diagnostic {
  const line = Math.max(0, Math.min(d.line, doc.lineCount - 1));
  const len = doc.lines[line].length;
  const start = Math.max(0, Math.min(d.start, len));
  const end = Math.max(start, Math.min(d.end, len));
  const out: Diagnostic = {
    range: { start: { line, character: start }, end: { line, character: end } },
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'r32asm',
    message: d.message,
  };
  if (d.related) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri: r.file, range: { start: { line: r.line, character: r.start }, end: { line: r.line, character: r.end } } }, message: r.message }));
  }
  if (d.data !== undefined) out.data = d.data;
  return out;
}

export function documentDiagnostics(a: UnitAnalysis, doc: SourceDocument): Diagnostic[] {
  const list = a.diagnosticsFor(doc.uri);
  const out: Diagnostic[] = [];
  for (let i = 0; i < list.length && out.length < MAX_DIAGNOSTICS; i++) out.push(toLsp(list[i], doc));
  return out.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
}
