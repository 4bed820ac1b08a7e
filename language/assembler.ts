/**
 * The R32 assembler: two passes over line-parsed source. Pass 1 (layout.ts,
 * directives.ts) gives every label an address; pass 2 (emit.ts) encodes with
 * the instruction table's codec. Never throws: every problem is a diagnostic.
 */
import { AssembleResult, Segment, SourceHost } from './asmTypes';
import { emit } from './emit';
import { Layout } from './layout';
import { memoryHost } from './memoryHost';
import { SourceMap } from './sourcemap';

export * from './asmTypes';
export { SourceMap } from './sourcemap';

export function assemble(entryFile: string, host: SourceHost): AssembleResult {
  const L = new Layout(host);
  let entries: ReturnType<typeof emit> = [];
  try {
    L.run(entryFile);
    entries = emit(L);
  } catch (e) {
    // Defensive: an assembler bug must surface as a diagnostic, not a crash of the caller.
    L.diag(entryFile, { line: 0, start: 0, end: 0 }, 'error', `internal assembler error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`, 'internal');
  }
  const segments: Segment[] = L.segments.filter((s) => s.size > 0).map((s) => ({ load: s.load, link: s.link, bytes: s.bytes ?? new Uint8Array(s.size) }));
  const start = L.symbols.get('_start');
  const entry = start && start.kind === 'label' ? start.value : segments.length ? segments[0].link : 0;
  const fileOrder = (f: string) => {
    const i = L.files.indexOf(f);
    return i < 0 ? L.files.length : i;
  };
  const diagnostics = L.diagnostics.sort((a, b) => fileOrder(a.file) - fileOrder(b.file) || a.line - b.line || a.col - b.col);
  return {
    ok: !diagnostics.some((d) => d.severity === 'error'),
    diagnostics,
    segments,
    entry: entry >>> 0,
    symbols: L.symbols,
    sourceMap: new SourceMap(entries),
    listing: L.listing,
    files: L.files,
    rings: L.rings,
  };
}

/** Assemble one in-memory file; `.include`s resolve against `includes` (paths relative to fileName). */
export function assembleText(text: string, fileName = 'main.rasm', includes: Record<string, string> = {}): AssembleResult {
  return assemble(fileName, memoryHost({ ...includes, [fileName]: text }));
}
