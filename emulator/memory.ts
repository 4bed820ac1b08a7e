/**
 * Physical memory with page-granular dirty tracking, so that a snapshot costs
 * a copy of only the pages written since the previous one (copy-on-write by
 * page reference sharing), never a copy of the whole memory.
 */
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

export class PhysicalMemory {
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  /** 1 for pages written since the last snapshot mark. */
  readonly dirty: Uint8Array;
  /** Page contents as of the last snapshot mark; undefined = all zero. Shared between snapshots. */
  private marked: (Uint8Array | undefined)[];

  constructor(size: number) {
    if (size <= 0 || size % PAGE_SIZE !== 0 || size > 1 << 30) {
      throw new RangeError(`memory size must be a positive multiple of 4 KiB up to 1 GiB, got ${size}`);
    }
    this.size = size;
    const buf = new ArrayBuffer(size);
    this.bytes = new Uint8Array(buf);
    this.words = new Int32Array(buf);
    this.dirty = new Uint8Array(size >>> PAGE_SHIFT);
    this.marked = new Array(size >>> PAGE_SHIFT).fill(undefined);
  }

  get pageCount(): number {
    return this.dirty.length;
  }

  /** Write bytes at a physical address (loader, debugger); marks pages dirty. */
  writeBytes(pa: number, data: Uint8Array): void {
    if (pa < 0 || pa + data.length > this.size) throw new RangeError(`physical range 0x${pa.toString(16)}+${data.length} is outside memory`);
    this.bytes.set(data, pa);
    for (let p = pa >>> PAGE_SHIFT; p <= (pa + Math.max(0, data.length - 1)) >>> PAGE_SHIFT; p++) this.dirty[p] = 1;
  }

  /**
   * Record the current contents and return the page list describing them.
   * Only dirty pages are copied; clean pages share the previous buffers.
   */
  mark(): readonly (Uint8Array | undefined)[] {
    const d = this.dirty;
    for (let p = 0; p < d.length; p++) {
      if (d[p]) {
        d[p] = 0;
        const start = p << PAGE_SHIFT;
        const page = this.bytes.subarray(start, start + PAGE_SIZE);
        this.marked[p] = isZero(page) ? undefined : page.slice();
      }
    }
    return this.marked.slice();
  }

  /** Restore contents described by a page list from `mark()`. Copies only pages that differ. */
  restore(pages: readonly (Uint8Array | undefined)[]): number {
    let copied = 0;
    const d = this.dirty;
    for (let p = 0; p < d.length; p++) {
      if (d[p] || this.marked[p] !== pages[p]) {
        const start = p << PAGE_SHIFT;
        const src = pages[p];
        if (src) this.bytes.set(src, start);
        else this.bytes.fill(0, start, start + PAGE_SIZE);
        d[p] = 0;
        copied++;
      }
    }
    this.marked = pages.slice();
    return copied;
  }
}

function isZero(page: Uint8Array): boolean {
  const w = new Int32Array(page.buffer, page.byteOffset, page.length >>> 2);
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false;
  return true;
}
