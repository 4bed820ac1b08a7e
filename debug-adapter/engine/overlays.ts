/**
 * Code a program copies to where it runs, as gdb's overlays: a domain builder copies a guest's
 * image over memory that other code ran in. The source map knows only where bytes were
 * assembled, so the program publishes its copies at the global label `__ringside_overlays`
 * (docs/debugger.md, "Overlays"), words read from the program's image at launch:
 *
 *   .word count
 *   .word load, run, size       count times, physical: the bytes assembled at load..load+size
 *                               run at run..run+size once the program copies them there
 *
 * Memory says whether a copy is there now: an overlay is in place while every instruction it
 * holds is in memory at its run address (one word alone could match other code by chance). So
 * the same address shows the code that was there before the copy, then the copy's source.
 */
import type { AssembleResult } from '../../language/asmTypes';

export const OVERLAYS_SYMBOL = '__ringside_overlays';

/** Tables longer than this are read only this far (a corrupt count must not slow every stop). */
const MAX_ENTRIES = 256;

interface Overlay {
  load: number;
  run: number;
  size: number;
  /** The instruction words it holds: where they run and what they are. */
  words: { pa: number; word: number }[];
  /** Its instructions are the very words assembled at its run address: bytes cannot tell it is there (codeAt). */
  same: boolean;
}

/** A word of physical memory now. */
export type ReadWord = (pa: number) => number;

export class Overlays {
  private constructor(private readonly list: Overlay[]) {}

  /** No overlays: every address is the code assembled there. */
  static readonly none = new Overlays([]);

  /** The table the program assembled at `__ringside_overlays`, read from its image. */
  static read(asm: AssembleResult): Overlays {
    const s = asm.symbols.get(OVERLAYS_SYMBOL);
    if (s?.kind !== 'label' || s.load === undefined) return Overlays.none;
    const image = imageWords(asm);
    const at = s.load >>> 0;
    const count = Math.min(image(at) ?? 0, MAX_ENTRIES);
    const list: Overlay[] = [];
    for (let i = 0; i < count; i++) {
      const [load, run, size] = [0, 4, 8].map((o) => (image(at + 4 + i * 12 + o) ?? 0) >>> 0);
      if (size === 0 || load === run) continue;
      const words: Overlay['words'] = [];
      for (const e of asm.sourceMap.entries()) {
        if (!e.instruction || e.pa < load || e.pa + e.size > load + size) continue;
        for (let o = 0; o < e.size; o += 4) words.push({ pa: run + (e.pa - load) + o, word: image(e.pa + o) ?? 0 });
      }
      list.push({ load, run, size, words, same: words.every((w) => image(w.pa) === w.word) });
    }
    return new Overlays(list);
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /**
   * The assembled addresses whose code is at physical `pa` now: an overlay's (load + offset)
   * while it is in place there, else `pa` itself. A copy of the very bytes assembled where it
   * runs (a user program both guests share) cannot be told apart by them: it counts as copied
   * while the table's other copies are (a loader copies an image's parts together), and `pa`
   * keeps its own source too, second.
   */
  codeAt(read: ReadWord, pa: number): number[] {
    const out: number[] = [];
    let same = true;
    for (const o of this.list) {
      if (pa < o.run || pa >= o.run + o.size || !inPlace(read, o)) continue;
      if (o.same && !this.list.some((p) => !p.same && inPlace(read, p))) continue;
      out.push(o.load + (pa - o.run));
      same &&= o.same;
    }
    return out.length === 0 ? [pa] : same ? [...out, pa] : out;
  }

  /** Where the code assembled at `pa` runs once copied (none outside an overlay's load range). */
  runAddresses(pa: number): number[] {
    return this.list.filter((o) => pa >= o.load && pa < o.load + o.size).map((o) => o.run + (pa - o.load));
  }
}

/** Every instruction the overlay holds is in memory at its run address (a copy half made is not in place). */
function inPlace(read: ReadWord, o: Overlay): boolean {
  return o.words.length > 0 && o.words.every((w) => read(w.pa) >>> 0 === w.word);
}

/** The program's image as words by physical address (undefined where it assembled nothing). */
function imageWords(asm: AssembleResult): (pa: number) => number | undefined {
  return (pa) => {
    for (const s of asm.segments) {
      const o = pa - s.load;
      if (o >= 0 && o + 4 <= s.bytes.length) return (s.bytes[o] | (s.bytes[o + 1] << 8) | (s.bytes[o + 2] << 16) | (s.bytes[o + 3] << 24)) >>> 0;
    }
    return undefined;
  };
}
