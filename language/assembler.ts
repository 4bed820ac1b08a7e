/**
 * The R32 assembler: two passes over line-parsed source. Pass 1 (layout.ts,
 * directives.ts) gives every label an address; pass 2 (emit.ts, operands.ts)
 * encodes with the instruction table's codec. The language service runs the
 * same passes with a sink of its own (service/unit.ts). Never throws: every
 * problem is a diagnostic.
 */
import { AsmDiagnostic, AssembleResult, ListingLine, Segment, SourceHost } from './asmTypes';
import { emit } from './emit';
import { Layout } from './layout';
import { LineInfo } from './lineInfo';
import { memoryHost } from './memoryHost';
import type { Item, LineSource, PassSink, PassSources, Related } from './passTypes';
import { SourceMap } from './sourcemap';

export * from './asmTypes';
export { SourceMap } from './sourcemap';

/** Diagnostics kept per file: a binary file opened by mistake must not produce a million. */
const MAX_FILE_DIAGNOSTICS = 1000;
const EMPTY = new Uint8Array(0);

/** A listing line whose bytes are a view made on demand (most listings are never printed). */
class ListingRow implements ListingLine {
  address: number | undefined = undefined;
  load: number | undefined = undefined;
  instruction = false;
  item: Item | undefined = undefined;
  constructor(
    readonly file: string,
    readonly line: number,
    readonly source: string,
  ) {}
  get bytes(): Uint8Array {
    const it = this.item;
    return it && it.seg.bytes ? it.seg.bytes.subarray(it.offset, it.offset + it.size) : EMPTY;
  }
}

/** Files read through the host, split into lines, each parsed once (identical lines share a parse). */
function lineSources(host: SourceHost): PassSources {
  const parses = new Map<string, LineInfo>();
  return {
    open(file) {
      const text = host.readFile(file);
      if (text === undefined) return undefined;
      const lines = text.split(/\r\n|\r|\n/);
      const source: LineSource = {
        lineCount: lines.length,
        info(i) {
          let info = parses.get(lines[i]);
          if (info === undefined) parses.set(lines[i], (info = new LineInfo(lines[i])));
          return info;
        },
      };
      return source;
    },
    readProblem: (file) => host.readProblem?.(file),
    resolve: (from, rel) => host.resolve(from, rel),
    display: host.display && ((file) => host.display!(file)),
  };
}

/** What the assembler keeps of the passes' reports: diagnostics and the listing. */
class AssemblerSink implements PassSink {
  readonly diagnostics: AsmDiagnostic[] = [];
  readonly listing: ListingRow[] = [];
  private readonly perFile = new Map<string, number>();
  /** The rows of the file being read, by line (a label binds to the row it is on). */
  private rows: ListingRow[] = [];
  private readonly visits: ListingRow[][] = [];
  /** Each file's rows of its latest visit: a label at the end of an included file is placed after the file is left. */
  private readonly rowsOf = new Map<string, ListingRow[]>();

  diag(file: string, line: number, start: number, end: number, severity: AsmDiagnostic['severity'], message: string, code: string, _origin: unknown, related?: Related[], _data?: unknown, echo?: boolean): void {
    const n = (this.perFile.get(file) ?? 0) + 1;
    this.perFile.set(file, n);
    if (n > MAX_FILE_DIAGNOSTICS) return;
    if (n === MAX_FILE_DIAGNOSTICS) {
      severity = 'error';
      message = `too many problems in this file; the rest are not shown`;
      code = 'too-many-problems';
      related = undefined;
      echo = false;
    }
    const d: AsmDiagnostic = { file, line, col: start, endLine: line, endCol: end, severity, message, code };
    if (related) d.related = related.map((r) => ({ file: r.file, line: r.line, col: r.start, endCol: r.end, message: r.message }));
    if (echo) d.echo = true;
    this.diagnostics.push(d);
  }
  enterFile(file: string): void {
    this.visits.push((this.rows = []));
    this.rowsOf.set(file, this.rows);
  }
  leaveFile(): void {
    this.visits.pop();
    this.rows = this.visits[this.visits.length - 1] ?? [];
  }
  lineStart(file: string, line: number, info: LineInfo): void {
    const row = new ListingRow(file, line, info.text);
    this.rows[line] = row;
    this.listing.push(row);
  }
  placed(file: string, line: number, link: number, load: number, item: Item | undefined, label: boolean): void {
    const row = (label ? this.rowsOf.get(file) : this.rows)?.[line];
    if (!row || (label && row.address !== undefined)) return;
    row.address = link;
    row.load = load;
    if (item) {
      row.item = item;
      row.instruction = item.kind === 'insn';
    }
  }
}

export function assemble(entryFile: string, host: SourceHost): AssembleResult {
  const sink = new AssemblerSink();
  const L = new Layout(lineSources(host), sink);
  let entries: ReturnType<typeof emit> = [];
  try {
    L.run(entryFile);
    entries = emit(L);
  } catch (e) {
    // Defensive: an assembler bug must surface as a diagnostic, not a crash of the caller.
    L.error(entryFile, 0, { start: 0, end: 0 }, `internal assembler error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, 'internal');
  }
  // Regions pass 2 gave no image (past 4 GiB, an error already) are left out, not allocated here.
  const segments: Segment[] = L.segments.filter((s) => s.size > 0 && s.bytes).map((s) => ({ load: s.load, link: s.link, bytes: s.bytes! }));
  const start = L.symbols.get('_start');
  // Without _start: the first emitted item's address (after an instruction's alignment padding,
  // which is the assembler's, not the program's: execution starts at the instruction).
  const first = L.segments.find((seg) => seg.size > 0);
  const firstItem = first && L.items.find((it) => it.seg === first);
  const entry = start && start.kind === 'label' ? start.value : first ? (first.link + (firstItem?.offset ?? 0)) >>> 0 : 0;
  const fileOrder = (f: string) => {
    const i = L.files.indexOf(f);
    return i < 0 ? L.files.length : i;
  };
  const diagnostics = sink.diagnostics.sort((a, b) => fileOrder(a.file) - fileOrder(b.file) || a.line - b.line || a.col - b.col);
  return {
    ok: !diagnostics.some((d) => d.severity === 'error'),
    diagnostics,
    segments,
    entry: entry >>> 0,
    symbols: L.symbols,
    sourceMap: new SourceMap(entries),
    listing: sink.listing,
    files: L.files,
    rings: L.rings,
  };
}

/** Assemble one in-memory file; `.include`s resolve against `includes` (paths relative to fileName). */
export function assembleText(text: string, fileName = 'main.rasm', includes: Record<string, string> = {}): AssembleResult {
  return assemble(fileName, memoryHost({ ...includes, [fileName]: text }));
}
