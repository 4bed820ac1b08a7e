/**
 * The transition log's storage (events.ts says what it holds): its records, and its templates,
 * everything about an event but its icount and cycles (kind, rings, vector and exit reason packed
 * in one word, both VM ids in another, the system call, the three addresses, the detail), kept
 * once however often it recurs, and numbered.
 */

/** Words per template. */
export const T = 7;
/**
 * Templates and records per chunk: both grow by whole chunks, never copying what they hold. Small
 * chunks (3.5 KB of templates, 3 KB of records): most runs need few, and each page of fresh memory
 * a chunk makes the host map costs a page fault (about 12 µs on this project's machine) — a run of
 * a few milliseconds felt 28 KB of templates it did not use.
 */
const TPL_SHIFT = 7;
const TPL_CHUNK = 1 << TPL_SHIFT;
const CHUNK_SHIFT = 8;
const CHUNK = 1 << CHUNK_SHIFT;

function hash7(a: number, b: number, c: number, d: number, e: number, f: number, g: number): number {
  let h = Math.imul(a ^ 0x2545f491, 0x9e3779b1);
  h = Math.imul(h ^ b, 0x85ebca6b);
  h = Math.imul(h ^ c, 0xc2b2ae35);
  h = Math.imul(h ^ d, 0x9e3779b1);
  h = Math.imul(h ^ e, 0x85ebca6b);
  h = Math.imul(h ^ f, 0xc2b2ae35);
  h = Math.imul(h ^ g, 0x9e3779b1);
  return h ^ (h >>> 15);
}

/** The words of template `id` start at `templateOffset(id)` in `chunkOf(id)`. */
export function templateOffset(id: number): number {
  return (id & (TPL_CHUNK - 1)) * T;
}

export class Templates {
  /** Templates (T words each) in chunks, and an open-addressing table of their numbers + 1 (0: free). */
  private tpl: Int32Array[] = [];
  private count = 0;
  private recent0 = 0;
  private recent1 = 0;
  private table = new Int32Array(256);

  chunkOf(id: number): Int32Array {
    return this.tpl[id >>> TPL_SHIFT];
  }

  /** The number of the template with these words, added if new. */
  intern(a: number, b: number, c: number, d: number, e: number, f: number, g: number): number {
    // The two templates used last first: a loop's transitions alternate between a few.
    const r0 = this.recent0;
    if (this.isTemplate(r0, a, b, c, d, e, f, g)) return r0;
    const r1 = this.recent1;
    this.recent1 = r0;
    if (this.isTemplate(r1, a, b, c, d, e, f, g)) return (this.recent0 = r1);
    return (this.recent0 = this.lookup(a, b, c, d, e, f, g));
  }

  private isTemplate(id: number, a: number, b: number, c: number, d: number, e: number, f: number, g: number): boolean {
    if (id >= this.count) return false;
    const t = this.tpl[id >>> TPL_SHIFT];
    const o = (id & (TPL_CHUNK - 1)) * T;
    return t[o] === a && t[o + 1] === b && t[o + 2] === c && t[o + 3] === d && t[o + 4] === e && t[o + 5] === f && t[o + 6] === g;
  }

  private lookup(a: number, b: number, c: number, d: number, e: number, f: number, g: number): number {
    const table = this.table;
    const mask = table.length - 1;
    let i = hash7(a, b, c, d, e, f, g) & mask;
    for (;;) {
      const s = table[i];
      if (s === 0) break;
      if (this.isTemplate(s - 1, a, b, c, d, e, f, g)) return s - 1;
      i = (i + 1) & mask;
    }
    const id = this.count++;
    if (id >>> TPL_SHIFT === this.tpl.length) this.tpl.push(new Int32Array(TPL_CHUNK * T));
    const t = this.tpl[id >>> TPL_SHIFT];
    const o = (id & (TPL_CHUNK - 1)) * T;
    t[o] = a;
    t[o + 1] = b;
    t[o + 2] = c;
    t[o + 3] = d;
    t[o + 4] = e;
    t[o + 5] = f;
    t[o + 6] = g;
    table[i] = id + 1;
    if (this.count * 2 > table.length) this.rehash();
    return id;
  }

  /** Twice the table, every template placed again. */
  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let id = 0; id < this.count; id++) {
      const t = this.tpl[id >>> TPL_SHIFT];
      const o = (id & (TPL_CHUNK - 1)) * T;
      let i = hash7(t[o], t[o + 1], t[o + 2], t[o + 3], t[o + 4], t[o + 5], t[o + 6]) & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = id + 1;
    }
    this.table = table;
  }
}

/** Words per record. */
const R32 = 3;
/** An offset that did not fit in 32 bits, or VM ids that did not fit in 16: the values are in `wideOf`. */
export const WIDE = 0xffffffff;
/** The third word of a repeat record: REPEAT | P (template numbers stay below it). */
export const REPEAT = 0x80000000;

/**
 * Records: an explicit one is icount and cycles as offsets from its chunk's base (the first
 * event of the chunk's first record, a double each) and a template number; a repeat is its
 * steps in icount and cycles and REPEAT | its period.
 */
export class Records {
  private base: number[] = [];
  private chunks: Uint32Array[] = [];
  /** Exact icount, cycles, fromVm, toVm of the (rare) explicit records whose fields did not fit, by record. */
  private wideOf = new Map<number, [number, number, number, number]>();

  /** The chunk for record r, made and based (on its first event) when r is its first. */
  private chunkFor(r: number, icount: number, cycles: number): Uint32Array {
    const c = r >>> CHUNK_SHIFT;
    if (c === this.chunks.length) this.chunks.push(new Uint32Array(CHUNK * R32));
    if ((r & (CHUNK - 1)) === 0) {
      this.base[c * 2] = icount;
      this.base[c * 2 + 1] = cycles;
    }
    return this.chunks[c];
  }

  setExplicit(r: number, id: number, icount: number, cycles: number, fromVm: number, toVm: number, narrow: boolean): void {
    const o = this.chunkFor(r, icount, cycles);
    const c = r >>> CHUNK_SHIFT;
    const di = icount - this.base[c * 2];
    const dc = cycles - this.base[c * 2 + 1];
    const w = (r & (CHUNK - 1)) * R32;
    if (narrow && di >= 0 && di < WIDE && dc >= 0 && dc < WIDE) {
      o[w] = di;
      o[w + 1] = dc;
      if (this.wideOf.size !== 0) this.wideOf.delete(r);
    } else {
      o[w] = WIDE;
      this.wideOf.set(r, [icount, cycles, fromVm, toVm]);
    }
    o[w + 2] = id;
  }

  /** A repeat of period p whose first event is at icount, cycles. */
  setRepeat(r: number, p: number, dI: number, dC: number, icount: number, cycles: number): void {
    const o = this.chunkFor(r, icount, cycles);
    const w = (r & (CHUNK - 1)) * R32;
    o[w] = dI;
    o[w + 1] = dC;
    o[w + 2] = REPEAT | p;
  }

  word(r: number, w: number): number {
    return this.chunks[r >>> CHUNK_SHIFT][(r & (CHUNK - 1)) * R32 + w];
  }

  /** The icount of explicit record r. */
  icount(r: number): number {
    const v = this.word(r, 0);
    return v === WIDE ? this.wideOf.get(r)![0] : this.base[(r >>> CHUNK_SHIFT) * 2] + v;
  }

  cycles(r: number): number {
    return this.word(r, 0) === WIDE ? this.wideOf.get(r)![1] : this.base[(r >>> CHUNK_SHIFT) * 2 + 1] + this.word(r, 1);
  }

  /** The VM ids of explicit record r whose template has none. */
  wideVms(r: number): [number, number] {
    const w = this.wideOf.get(r)!;
    return [w[2], w[3]];
  }
}
