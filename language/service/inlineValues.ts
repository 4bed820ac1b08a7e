/**
 * Inline values while the debugger is stopped: the registers each line names, from the start
 * of the stopped line's function down to the stopped line, looked up by the editor in the
 * debugger's Registers scope (so `add r1, r2` shows r1 and r2 as they are now at its end).
 */
import type { InlineValue, InlineValueContext, Range } from 'vscode-languageserver-types';
import { registerName, registerNumber } from '../../emulator/isa/registers';
import type { SourceDocument } from './document';

export function inlineValues(doc: SourceDocument, range: Range, ctx: InlineValueContext): InlineValue[] {
  const stopLine = Math.min(ctx.stoppedLocation.end.line, doc.lineCount - 1);
  // The function: back to the nearest global label (local `.labels` stay inside it).
  let start = stopLine;
  while (start > 0 && !doc.info(start).labels.some((l) => !l.name.startsWith('.'))) start--;
  const first = Math.max(start, range.start.line);
  const last = Math.min(stopLine, range.end.line);
  const out: InlineValue[] = [];
  for (let line = first; line <= last; line++) {
    const info = doc.info(line);
    if (!info.stmt || info.stmt.kind !== 'instruction') continue;
    const labelStarts = new Set(info.labels.map((l) => l.start));
    const seen = new Set<string>();
    for (const t of info.parsed.tokens) {
      if (t.kind !== 'ident' || labelStarts.has(t.start)) continue;
      const n = registerNumber(t.text);
      if (n === undefined) continue;
      // The name the Registers scope uses: r14 and r15 are shown as fp and sp.
      const name = registerName(n);
      if (seen.has(name)) continue;
      seen.add(name);
      out.push({ range: { start: { line, character: t.start }, end: { line, character: t.end } }, variableName: name, caseSensitiveLookup: true });
    }
  }
  return out;
}
