/** The unit's diagnostics for one document, as LSP diagnostics with ranges clamped into the document. */
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import type { SourceDocument } from './document';
import type { UnitAnalysis, UnitDiag } from './unit';
import { t } from '../l10n';

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

/** `display`: how a file is named in a message, as hovers name it (the messages of the passes name files so too). */
export function documentDiagnostics(a: UnitAnalysis, doc: SourceDocument, display: (uri: string) => string = (u) => u): Diagnostic[] {
  const list = a.diagnosticsFor(doc.uri);
  const out: Diagnostic[] = includedErrors(a, doc, display);
  for (let i = 0; i < list.length && out.length < MAX_DIAGNOSTICS; i++) out.push(toLsp(list[i], doc));
  return out.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
}

/**
 * The errors of the files this document includes, directly or not, at the `.include` line that
 * brought each file in (its first error, and how many): a student who opened only this file still
 * sees why it does not assemble, as clangd's "In included file". Each error is told once.
 */
function includedErrors(a: UnitAnalysis, doc: SourceDocument, display: (uri: string) => string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set([doc.uri]);
  for (const site of a.files.get(doc.uri)?.includes ?? []) {
    let first: UnitDiag | undefined;
    let count = 0;
    for (const queue = [site.target]; queue.length; ) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const d of a.diagnosticsFor(file)) if (d.severity === 'error' && count++ === 0) first = d;
      for (const inc of a.files.get(file)?.includes ?? []) queue.push(inc.target);
    }
    if (!first) continue;
    const where = `${display(first.uri)}:${first.line + 1}:${first.start + 1}`;
    const line = Math.min(site.line, doc.lineCount - 1);
    out.push({
      range: { start: { line, character: site.start }, end: { line, character: site.end } },
      severity: DiagnosticSeverity.Error,
      code: 'included-file-error',
      source: 'r32asm',
      message: count > 1 ? t('in included file {0}: {1} (and {2} more errors there)', where, first.message, count - 1) : t('in included file {0}: {1}', where, first.message),
      relatedInformation: [{ location: { uri: first.uri, range: { start: { line: first.line, character: first.start }, end: { line: first.line, character: first.end } } }, message: t('the first error') }],
    });
  }
  return out;
}
