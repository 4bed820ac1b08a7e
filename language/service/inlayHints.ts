/** Inlay hints: each label's address after its colon (the link address; the load address in the tooltip when it differs). */
import type { InlayHint, Range } from 'vscode-languageserver-types';
import type { SourceDocument } from './document';
import { hex32 } from './isaDocs';
import type { UnitAnalysis } from './unit';

export function inlayHints(a: UnitAnalysis, doc: SourceDocument, range: Range): InlayHint[] {
  const out: InlayHint[] = [];
  const facts = a.files.get(doc.uri);
  if (!facts) return out;
  const first = Math.max(0, range.start.line);
  const last = Math.min(doc.lineCount - 1, range.end.line);
  for (let line = first; line <= last; line++) {
    const info = doc.info(line);
    if (!info.labels.length) continue;
    let scope = line > 0 ? facts.scopeAt[line - 1] ?? '' : '';
    const tokens = info.tokens;
    for (const l of info.labels) {
      const full = l.local ? scope + l.name : l.name;
      if (!l.local) scope = l.name;
      const sym = a.symbols.get(full);
      // Only the definition itself (a duplicate shows nothing).
      if (!sym || sym.file !== doc.uri || sym.line !== line || sym.col !== l.start) continue;
      const colon = tokens.find((t) => t.start >= l.end && t.text === ':');
      const tooltip = sym.load !== undefined && sym.load !== sym.value ? `link ${hex32(sym.value)}, load (physical) ${hex32(sym.load)}` : `address ${hex32(sym.value)}`;
      out.push({ position: { line, character: colon ? colon.end : l.end }, label: hex32(sym.value), paddingLeft: true, tooltip });
    }
  }
  return out;
}
