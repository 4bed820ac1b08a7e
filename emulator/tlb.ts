/**
 * The TLB: a direct-mapped cache of combined translations (linear → host
 * physical page), tagged with the address space (0 = host, n = VM n) so that
 * entries of two VMs and of the host never mix. A hit is one compare of a
 * 32-bit key (page number | tag << 20). Stale entries are real: nothing here
 * watches page-table memory.
 */

/** Permission bits of an entry: what the combined translation allows. */
export const TlbPerm = {
  /** writable at both guest levels */
  W: 1,
  /** user at both levels */
  U: 2,
  /** the PTE's dirty bit is already set */
  D: 4,
  /** readable (EPT R; always natively) */
  R: 8,
  /** executable (EPT X; always natively) */
  X: 16,
  /** writable in EPT (always natively) */
  EW: 32,
} as const;

export interface TlbStats {
  hits: number;
  misses: number;
  flushes: number;
  walkReads: number;
}

export function newStats(): TlbStats {
  return { hits: 0, misses: 0, flushes: 0, walkReads: 0 };
}

/** A copy with the one shape newStats() makes (a spread copy gets a map of its own, and the compiled code that counts hits would meet two). */
export function copyStats(s: TlbStats): TlbStats {
  return { hits: s.hits, misses: s.misses, flushes: s.flushes, walkReads: s.walkReads };
}

/**
 * The slot of a key (page number | tag << 20): Fibonacci hashing (Knuth), the top log2(size)
 * bits of key × 2^32/φ, so pages that differ only in their high bits (a kernel at 0xC0000000, a
 * program at 0x00400000) do not fall into the same slot as a plain modulo would put them, and
 * consecutive pages spread over the slots as evenly as a modulo spreads them (32 pages in a
 * row take 32 slots of 64). `mask` is size - 1; Math.clz32(mask) is 32 - log2(size) (32 for one
 * entry: a shift by 32 is none, and the mask makes it 0).
 */
export function tlbSlot(key: number, mask: number): number {
  return (Math.imul(key, 0x9e3779b1) >>> Math.clz32(mask)) & mask;
}
/** tlbSlot() as JavaScript source over `key` and the locals `mask` and `tsh` (Math.clz32(mask)), for compiled code. */
export const tlbSlotSource = (key: string) => `(Math.imul(${key}, 0x9e3779b1) >>> tsh) & mask`;

export class Tlb {
  readonly size: number;
  readonly mask: number;
  readonly key: Int32Array;
  readonly page: Int32Array;
  readonly perm: Int32Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1 || size > 4096 || (size & (size - 1)) !== 0) {
      throw new RangeError(`TLB size must be a power of two from 1 to 4096, got ${size}`);
    }
    this.size = size;
    this.mask = size - 1;
    this.key = new Int32Array(size).fill(-1);
    this.page = new Int32Array(size);
    this.perm = new Int32Array(size);
  }

  static keyOf(va: number, tag: number): number {
    return (va >>> 12) | (tag << 20);
  }

  /** Slot for a key: the page number hashed with the tag. */
  slot(key: number): number {
    return tlbSlot(key, this.mask);
  }

  /** Drop every entry of one tag. */
  flushTag(tag: number): void {
    const k = this.key;
    for (let i = 0; i < k.length; i++) if (k[i] !== -1 && k[i] >>> 20 === tag) k[i] = -1;
  }

  flushAll(): void {
    this.key.fill(-1);
  }

  /** Drop the entry for one page of one tag; returns whether one was there. */
  invalidate(va: number, tag: number): boolean {
    const key = Tlb.keyOf(va, tag);
    const i = this.slot(key);
    if (this.key[i] === key) {
      this.key[i] = -1;
      return true;
    }
    return false;
  }

  save(): { key: Int32Array; page: Int32Array; perm: Int32Array } {
    return { key: this.key.slice(), page: this.page.slice(), perm: this.perm.slice() };
  }

  load(s: { key: Int32Array; page: Int32Array; perm: Int32Array }): void {
    this.key.set(s.key);
    this.page.set(s.page);
    this.perm.set(s.perm);
  }
}
