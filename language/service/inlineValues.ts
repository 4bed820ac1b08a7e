/**
 * Inline values while the debugger is stopped: the registers the lines of the stopped line's
 * function name, looked up by the editor in the debugger's Registers scope. A value is the
 * register's value now, so it is shown only where that is what the line means: at the
 * register's last mention up to the stopped line, and not above a call, system call or other
 * trap that ran since (it may have changed any register). `mov r0, SYS_WRITE` then never shows
 * r0 as a later line or the kernel left it.
 */
import type { InlineValue, InlineValueContext, Range } from 'vscode-languageserver-types';
import { registerName, registerNumber } from '../../emulator/isa/registers';
import { runsOtherCode } from '../../emulator/isa/table';
import type { SourceDocument } from './document';


export function inlineValues(doc: SourceDocument, range: Range, ctx: InlineValueContext): InlineValue[] {
  const stopLine = Math.min(ctx.stoppedLocation.end.line, doc.lineCount - 1);
  // The function: back to the nearest global label (local `.labels` stay inside it).
  let start = stopLine;
  while (start > 0 && !doc.info(start).labels.some((l) => !l.name.startsWith('.'))) start--;
  const out: InlineValue[] = [];
  const seen = new Set<string>();
  // From the stopped line up: the first mention met is the register's last before the stop.
  for (let line = stopLine; line >= start; line--) {
    const info = doc.info(line);
    if (!info.stmt || info.stmt.kind !== 'instruction') continue;
    // Above a call, a trap or a VM entry any register may hold something else.
    if (line < stopLine && info.def && runsOtherCode(info.def)) break;
    const labelStarts = new Set(info.labels.map((l) => l.start));
    const visible = line >= range.start.line && line <= range.end.line;
    for (const t of info.tokens) {
      if (t.kind !== 'ident' || labelStarts.has(t.start)) continue;
      const n = registerNumber(t.text);
      if (n === undefined) continue;
      // The name the Registers scope uses: r14 and r15 are shown as fp and sp.
      const name = registerName(n);
      if (seen.has(name)) continue;
      seen.add(name);
      if (visible) out.push({ range: { start: { line, character: t.start }, end: { line, character: t.end } }, variableName: name, caseSensitiveLookup: true });
    }
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
