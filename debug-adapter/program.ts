/**
 * The assembled program as the debugger needs it: where each source line's
 * code is (physical addresses, from the source map), which lines hold data,
 * and names for addresses. Paths are compared in one normal form so that a
 * breakpoint set on `./x.rasm` finds code assembled from `/abs/x.rasm`.
 */
import * as path from 'path';
import { assemble, AssembleResult, SymbolInfo } from '../language/assembler';
import { nodeHost } from '../language/nodeHost';
import { formatDiagnostic } from '../language/formatDiagnostic';
import { labelsByAddress } from '../language/disassembler';
import { GUEST_PAGING_SYMBOL } from './guestPaging';

export type LineKind = 'code' | 'data';

export type LineResolution =
  | { ok: true; line: number; addresses: number[]; moved: boolean }
  | { ok: false; message: string };

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

/** The form paths are compared in. */
export function pathKey(p: string): string {
  const abs = path.resolve(p);
  return caseInsensitive ? abs.toLowerCase() : abs;
}

export class AssemblyError extends Error {
  constructor(readonly diagnostics: string[]) {
    super(`the program did not assemble:\n${diagnostics.join('\n')}`);
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

  private constructor(readonly file: string, readonly asm: AssembleResult) {
    for (const f of asm.files) this.files.set(pathKey(f), f);
    for (const row of asm.listing) {
      if (row.bytes.length === 0) continue;
      let m = this.lines.get(pathKey(row.file));
      if (!m) this.lines.set(pathKey(row.file), (m = new Map()));
      if (m.get(row.line) !== 'code') m.set(row.line, row.instruction ? 'code' : 'data');
    }
    for (const s of asm.symbols.values()) {
      if (s.kind === 'label' && s.load !== undefined && !s.name.includes('.')) this.labels.push({ pa: s.load >>> 0, name: s.name });
    }
    this.labels.sort((a, b) => a.pa - b.pa);
    this.byLinkAddress = labelsByAddress(asm.symbols);
  }

  /** Assemble `file`; throws AssemblyError listing every diagnostic when it has errors. */
  static load(file: string, cwd: string): Program {
    const abs = path.resolve(cwd, file);
    const asm = assemble(abs, nodeHost);
    if (!asm.ok) {
      const rel = (f: string) => path.relative(cwd, f) || f;
      throw new AssemblyError(asm.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, rel)));
    }
    const p = new Program(abs, asm);
    const rel = (f: string) => path.relative(cwd, f) || f;
    p.warnings = asm.diagnostics.filter((d) => d.severity !== 'error').map((d) => formatDiagnostic(d, rel));
    return p;
  }

  get entry(): number {
    return this.asm.entry;
  }

  /** Where the program publishes its guests' own paging under shadow paging (guestPaging.ts), if it does. */
  get guestPaging(): number | undefined {
    const s = this.asm.symbols.get(GUEST_PAGING_SYMBOL);
    return s?.kind === 'label' ? s.load : undefined;
  }

  symbol(name: string): SymbolInfo | undefined {
    return this.asm.symbols.get(name);
  }

  /** Source line of a physical address. */
  location(pa: number): { file: string; line: number } | undefined {
    if (pa < 0) return undefined;
    const l = this.asm.sourceMap.lookup(pa);
    return l && { file: l.file, line: l.line };
  }

  /** Whether an instruction was assembled at exactly this physical address. */
  instructionAt(pa: number): boolean {
    return pa >= 0 && this.asm.sourceMap.instructionAt(pa);
  }

  /** The nearest global label at or below a physical address: the function a pc is in. */
  functionAt(pa: number): string | undefined {
    if (pa < 0) return undefined;
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

  /** A label for a link (virtual) address, for disassembly operands. */
  labelAt(address: number): string | undefined {
    return this.byLinkAddress.get(address >>> 0)?.[0];
  }

  /** Lines (0-based) of a file that hold instructions. */
  codeLines(file: string): number[] {
    const m = this.lines.get(pathKey(file));
    return m ? [...m].filter(([, k]) => k === 'code').map(([l]) => l).sort((a, b) => a - b) : [];
  }

  /**
   * Where a breakpoint on `line` (0-based) goes: that line's instructions, or
   * the next line with code when the line has none (a label, comment or blank
   * line), but never across data.
   */
  resolveLine(file: string, line: number): LineResolution {
    const key = pathKey(file);
    if (!/\.(rasm|s|asm|inc)$/i.test(file)) return { ok: false, message: `${path.basename(file)} is not an R32 assembly file` };
    const real = this.files.get(key);
    if (!real) return { ok: false, message: `${path.basename(file)} is not part of the program (${path.basename(this.file)} does not include it)` };
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
