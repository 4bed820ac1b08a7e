/**
 * The assembled program as the debugger needs it: where each source line's
 * code is (physical addresses, from the source map), which lines hold data,
 * and names for addresses. Paths are compared in one normal form so that a
 * breakpoint set on `./x.rasm` finds code assembled from `/abs/x.rasm`.
 */
import { assemble, AssembleResult, SymbolInfo } from '../../language/assembler';
import type { AsmDiagnostic, SourceHost } from '../../language/asmTypes';
import { formatDiagnostic } from '../../language/formatDiagnostic';
import { outsideMemory } from '../../language/memoryFit';
import { t } from '../../language/l10n';
import { labelsByAddress } from '../../language/disassembler';
import { GUEST_PAGING_SYMBOL } from './guestPaging';
import { CODE_ORIGINS_SYMBOL } from './codeOrigins';
import { TRANSITIONS_SYMBOL } from './transitionNames';
import { Overlays, type ReadWord } from './overlays';
import type { AdapterHost, PathOps } from '../host/host';

export type LineKind = 'code' | 'data';

export type LineResolution =
  | { ok: true; line: number; addresses: number[]; moved: boolean }
  | { ok: false; message: string };

/**
 * The program does not assemble, or does not fit the machine's memory (`heading` says which): the
 * message lists its errors as text (each once: a duplicate's second report, at its first
 * definition, is for the editor's Problems), `errors` holds them all as data.
 */
export class AssemblyError extends Error {
  constructor(readonly errors: AsmDiagnostic[], relative: (file: string) => string, heading = 'the program did not assemble') {
    super(`${heading}:\n${errors.filter((d) => !d.echo).map((d) => formatDiagnostic(d, relative)).join('\n')}`);
  }
}

interface Label {
  pa: number;
  name: string;
}

export class Program {
  /** Files of the program by path key → the path the assembler used. */
  readonly files = new Map<string, string>();
  private readonly lines = new Map<string, Map<number, LineKind>>();
  /** Global labels by physical load address, ascending (names for code addresses). */
  private readonly labels: Label[] = [];
  readonly byLinkAddress: Map<number, string[]>;

  /** Warnings and notes from the assembler, formatted (the launch shows them). */
  warnings: string[] = [];

  /** Code the program copies to where it runs (overlays.ts), and the memory that says where it is now. */
  private readonly overlays: Overlays;
  private memory: ReadWord | undefined;

  private constructor(readonly file: string, readonly asm: AssembleResult, private readonly paths: PathOps, private readonly relative: (file: string) => string) {
    for (const f of asm.files) this.files.set(this.key(f), f);
    for (const row of asm.listing) {
      if (row.bytes.length === 0) continue;
      let m = this.lines.get(this.key(row.file));
      if (!m) this.lines.set(this.key(row.file), (m = new Map()));
      if (m.get(row.line) !== 'code') m.set(row.line, row.instruction ? 'code' : 'data');
    }
    for (const s of asm.symbols.values()) {
      if (s.kind === 'label' && s.load !== undefined && !s.name.includes('.')) this.labels.push({ pa: s.load >>> 0, name: s.name });
    }
    this.labels.sort((a, b) => a.pa - b.pa);
    this.byLinkAddress = labelsByAddress(asm.symbols);
    this.overlays = Overlays.read(asm);
  }

  /** From now on, addresses inside an overlay's run range show the code `m` holds there (overlays.ts). */
  attachMemory(read: ReadWord): void {
    this.memory = read;
  }

  /** The assembled addresses whose code is at physical `pa` now: `pa` itself unless an overlay is in place there. */
  codeAt(pa: number): number[] {
    return this.memory && !this.overlays.empty ? this.overlays.codeAt(this.memory, pa) : [pa];
  }

  /** The assembled address whose source describes physical `pa` now. */
  private origin(pa: number): number {
    return pa < 0 ? pa : this.codeAt(pa)[0];
  }

  /** Where code assembled at these addresses can run: there, and where overlays copy it. */
  runAddresses(pas: number[]): number[] {
    return [...new Set(pas.flatMap((pa) => [pa, ...this.overlays.runAddresses(pa)]))];
  }

  /** Where code assembled at these addresses is now: overlays in place first (a goto's target), then where it was assembled. */
  placesNow(pas: number[]): number[] {
    const copies = pas.flatMap((pa) => this.overlays.runAddresses(pa).filter((run) => this.codeAt(run).includes(pa)));
    return [...copies, ...pas];
  }

  /** The link address the code at physical `pa` runs at (its overlay's, when one is in place). */
  linkAddress(pa: number): number | undefined {
    return this.asm.sourceMap.linkAddress(this.origin(pa));
  }

  /**
   * Assemble `file` (already read as `text`) with its includes, read through the host; throws
   * AssemblyError listing every diagnostic when it has errors.
   */
  static async load(file: string, text: string, cwd: string, host: AdapterHost): Promise<Program> {
    const paths = host.paths;
    const asm = await assembleWithHost(file, text, host);
    const rel = (f: string) => paths.relative(cwd, f);
    if (!asm.ok) throw new AssemblyError(asm.diagnostics.filter((d) => d.severity === 'error'), rel);
    const p = new Program(file, asm, paths, rel);
    p.warnings = asm.diagnostics.filter((d) => d.severity !== 'error').map((d) => formatDiagnostic(d, rel));
    return p;
  }

  /** Throws AssemblyError at the first line placed past `memorySize` (the machine's): loading it would fail unlocated. */
  checkFits(memorySize: number): void {
    const outside = outsideMemory(this.asm, memorySize, t('the launch attribute "memory"'));
    if (outside) throw new AssemblyError([outside], this.relative, 'the program does not fit in memory');
  }

  /** A DAP source for one of the program's files. */
  source(file: string): { name: string; path: string } {
    return { name: this.paths.basename(file), path: file };
  }

  /** The form paths are compared in: a breakpoint set on `./x.rasm` finds code from `/abs/x.rasm`. */
  key(file: string): string {
    return this.paths.key(file);
  }

  /** The program's files that are not inside `folder` (includes reaching out of the workspace). */
  /** Included files outside `folder` (the program itself is the one the user chose to run, wherever it is). */
  filesOutside(folder: string): string[] {
    return this.asm.files.filter((f) => f !== this.file && !this.paths.contains(folder, f));
  }

  get entry(): number {
    return this.asm.entry;
  }

  /** Where the program publishes its guests' own paging under shadow paging (guestPaging.ts), if it does. */
  get guestPaging(): number | undefined {
    const s = this.asm.symbols.get(GUEST_PAGING_SYMBOL);
    return s?.kind === 'label' ? s.load : undefined;
  }

  /** Where the program names transitions the machine cannot (transitionNames.ts), if it does. */
  get transitionNames(): number | undefined {
    const s = this.asm.symbols.get(TRANSITIONS_SYMBOL);
    return s?.kind === 'label' ? s.load : undefined;
  }

  /** Where the program publishes the origins of code it generates (codeOrigins.ts), if it does. */
  get codeOrigins(): number | undefined {
    const s = this.asm.symbols.get(CODE_ORIGINS_SYMBOL);
    return s?.kind === 'label' ? s.load : undefined;
  }

  symbol(name: string): SymbolInfo | undefined {
    return this.asm.symbols.get(name);
  }

  /** Source line of a physical address (of the code there now: an overlay's once copied). */
  location(pa: number): { file: string; line: number } | undefined {
    if (pa < 0) return undefined;
    const l = this.asm.sourceMap.lookup(this.origin(pa));
    return l && { file: l.file, line: l.line };
  }

  /** Whether an instruction was assembled at exactly this physical address (or copied there: an overlay). */
  instructionAt(pa: number): boolean {
    return pa >= 0 && this.asm.sourceMap.instructionAt(this.origin(pa));
  }

  /** The nearest global label at or below a physical address: the function a pc is in. */
  functionAt(at: number): string | undefined {
    if (at < 0) return undefined;
    const pa = this.origin(at);
    let lo = 0;
    let hi = this.labels.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.labels[mid].pa <= pa) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? undefined : this.labels[found].name;
  }

  /**
   * A label for a link (virtual) address, for disassembly operands. Where several share it (code
   * linked alike and copied over each other: overlays.ts), the code at physical `near` now picks:
   * the label of that very code, else one from its file.
   */
  labelAt(address: number, near?: number): string | undefined {
    const names = this.byLinkAddress.get(address >>> 0);
    if (!names || names.length < 2 || near === undefined || near < 0) return names?.[0];
    const code = this.origin(near);
    const file = this.asm.sourceMap.lookup(code)?.file;
    const sym = names.map((n) => this.asm.symbols.get(n));
    return (sym.find((s) => s?.load === code) ?? sym.find((s) => s?.file === file))?.name ?? names[0];
  }

  /** The label of the instruction at `address` (physical `pa`): where an overlay's code is now, only its own. */
  labelHere(address: number, pa: number): string | undefined {
    const code = this.origin(pa);
    if (code === pa) return this.labelAt(address, pa);
    return this.byLinkAddress.get(address >>> 0)?.find((n) => this.asm.symbols.get(n)?.load === code);
  }

  /** Lines (0-based) of a file that hold instructions. */
  codeLines(file: string): number[] {
    const m = this.lines.get(this.key(file));
    return m ? [...m].filter(([, k]) => k === 'code').map(([l]) => l).sort((a, b) => a - b) : [];
  }

  /**
   * Where a breakpoint on `line` (0-based) goes: that line's instructions, or
   * the next line with code when the line has none (a label, comment or blank
   * line), but never across data.
   */
  resolveLine(file: string, line: number): LineResolution {
    const key = this.key(file);
    const base = this.paths.basename;
    if (!/\.(rasm|s|asm|inc)$/i.test(file)) return { ok: false, message: `${base(file)} is not an R32 assembly file` };
    const real = this.files.get(key);
    if (!real) return { ok: false, message: `${base(file)} is not part of the program (${base(this.file)} does not include it)` };
    if (!Number.isInteger(line) || line < 0) return { ok: false, message: `there is no line ${line + 1} (lines start at 1)` };
    const kinds = this.lines.get(key) ?? new Map<number, LineKind>();
    const last = Math.max(-1, ...kinds.keys());
    for (let l = line; l <= last; l++) {
      const k = kinds.get(l);
      if (k === 'data') {
        return { ok: false, message: l === line ? `line ${line + 1} holds data, not an instruction` : `no instruction between line ${line + 1} and the data on line ${l + 1}` };
      }
      if (k === 'code') return { ok: true, line: l, addresses: this.asm.sourceMap.addressesForLine(real, l), moved: l !== line };
    }
    return { ok: false, message: `no instruction at or after line ${line + 1}` };
  }
}

/**
 * The assembler reads files synchronously; a host may only read them asynchronously (the browser
 * asks the editor). So assemble with what has been read, read every file the assembler asked for
 * and did not get, and assemble again until it asks for nothing new (once per level of includes).
 */
async function assembleWithHost(file: string, text: string, host: AdapterHost): Promise<AssembleResult> {
  const read = new Map<string, string | undefined>([[file, text]]);
  // Why a file could not be read ('no such file', 'it is not a regular file ...'), for the located error.
  const problems = new Map<string, string>();
  for (;;) {
    const missing = new Set<string>();
    const source: SourceHost = {
      readFile: (f) => {
        if (!read.has(f)) missing.add(f);
        return read.get(f);
      },
      readProblem: (f) => problems.get(f),
      resolve: (from, rel) => host.paths.resolve(host.paths.dirname(from), rel),
    };
    const asm = assemble(file, source);
    if (missing.size === 0) return asm;
    await Promise.all(
      [...missing].map(async (f) =>
        read.set(
          f,
          await host.readFile(f).catch((e: unknown) => {
            problems.set(f, e instanceof Error ? e.message : String(e));
            return undefined;
          }),
        ),
      ),
    );
  }
}
