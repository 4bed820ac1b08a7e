/**
 * Source map keyed by PHYSICAL load address (spec 9): the debugger translates
 * a virtual pc through the page tables first, so two address spaces that use
 * the same virtual address never get confused. Sorted arrays + binary search.
 */

export interface MapEntry {
  /** Physical load address of the first byte. */
  pa: number;
  /** Link (virtual) address the code was assembled to run at. */
  la: number;
  size: number;
  file: string;
  /** 0-based source line. */
  line: number;
  instruction: boolean;
}

export interface SourceLocation {
  file: string;
  line: number;
  /** Start of the instruction or data item that holds the address. */
  pa: number;
  la: number;
  instruction: boolean;
}

export class SourceMap {
  private readonly items: MapEntry[];
  private readonly starts: Float64Array;
  private byLine?: Map<string, Map<number, number[]>>;

  /** Takes ownership of the entries (normalizes their addresses in place). */
  constructor(entries: MapEntry[] = []) {
    // Zero-sized items (an empty .space) map nothing.
    const items: MapEntry[] = [];
    let sorted = true;
    for (const e of entries) {
      if (e.size <= 0) continue;
      e.pa >>>= 0;
      e.la >>>= 0;
      if (items.length && items[items.length - 1].pa > e.pa) sorted = false;
      items.push(e);
    }
    // Entries usually arrive in address order: skip the sort then.
    if (!sorted) items.sort((a, b) => a.pa - b.pa);
    this.items = items;
    this.starts = new Float64Array(items.length);
    for (let i = 0; i < items.length; i++) this.starts[i] = items[i].pa;
  }

  /** Index of the last entry starting at or below pa, or -1. */
  private floor(pa: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= pa) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private entryAt(pa: number): MapEntry | undefined {
    const p = pa >>> 0;
    const i = this.floor(p);
    if (i < 0) return undefined;
    const e = this.items[i];
    return p < e.pa + e.size ? e : undefined;
  }

  /** The source line of the instruction or data that holds physical address pa. */
  lookup(pa: number): SourceLocation | undefined {
    const e = this.entryAt(pa);
    return e && { file: e.file, line: e.line, pa: e.pa, la: e.la, instruction: e.instruction };
  }

  /** Whether an instruction starts exactly at physical address pa. */
  instructionAt(pa: number): boolean {
    const e = this.entryAt(pa);
    return e !== undefined && e.instruction && e.pa === pa >>> 0;
  }

  /** Link address for a physical address inside an emitted item. */
  linkAddress(pa: number): number | undefined {
    const e = this.entryAt(pa);
    return e && (e.la + ((pa >>> 0) - e.pa)) >>> 0;
  }

  /** Physical start addresses of the instructions assembled from a source line (0-based), ascending. */
  addressesForLine(file: string, line: number): number[] {
    if (!this.byLine) {
      this.byLine = new Map();
      for (const e of this.items) {
        if (!e.instruction) continue;
        let lines = this.byLine.get(e.file);
        if (!lines) this.byLine.set(e.file, (lines = new Map()));
        const list = lines.get(e.line);
        if (list) list.push(e.pa);
        else lines.set(e.line, [e.pa]);
      }
    }
    return [...(this.byLine.get(file)?.get(line) ?? [])];
  }

  /** Source lines of a file that hold at least one instruction, ascending (for breakpoint validation). */
  instructionLines(file: string): number[] {
    this.addressesForLine(file, -1);
    return [...(this.byLine!.get(file)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** All entries, sorted by physical address. */
  entries(): readonly MapEntry[] {
    return this.items;
  }
}
