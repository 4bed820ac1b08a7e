/**
 * A shadow call stack per address-space tag (host, VM 1, ...): what `call`,
 * `ret`, trap delivery and `iret` did, so the debugger can show frames across
 * rings without guessing from stack memory. Bounded; the oldest frames drop.
 * A stack starts small and grows: a guest may have many address spaces, most
 * with few frames (see selectShadow below for how many are kept).
 */
export const FrameKind = { Call: 0, Trap: 1 } as const;

const CAP = 1024;
const W = 5; // kind, return pc, sp after push, target/vector, cpl
const INITIAL = 8;

export interface ShadowFrame {
  kind: 'call' | 'trap';
  /** Return address (call) or interrupted pc (trap). */
  returnPc: number;
  /** sp right after the return address / trap frame was pushed. */
  sp: number;
  /** Call target, or trap vector. */
  target: number;
  /** CPL of the caller / interrupted code. */
  fromCpl: number;
  /** The page directory the frame was pushed under, when it is not the stack's own (frames a cr3 write carried into a new address space: execve's). */
  cr3?: number;
}

/** Frames a stack took over from another address space's when cr3 changed under them (selectShadow): the first `depth`, pushed under `cr3`, whose words were `words`. */
interface Inherited {
  depth: number;
  cr3: number;
  words: Int32Array;
}

export class ShadowStack {
  data = new Int32Array(INITIAL * W);
  depth = 0;
  /** Set only by selectShadow: a frame still counts as inherited while its words are those copied (it was not popped and pushed again). */
  inherited: Inherited | undefined = undefined;

  push(kind: number, returnPc: number, sp: number, target: number, cpl: number): void {
    if (this.depth * W === this.data.length) {
      if (this.depth === CAP) {
        this.data.copyWithin(0, W);
        this.depth--;
      } else {
        const grown = new Int32Array(Math.min(CAP, this.depth * 2) * W);
        grown.set(this.data);
        this.data = grown;
      }
    }
    const o = this.depth * W;
    const d = this.data;
    d[o] = kind;
    d[o + 1] = returnPc;
    d[o + 2] = sp;
    d[o + 3] = target;
    d[o + 4] = cpl;
    this.depth++;
  }

  /** After `ret` set sp to `spAfter`: drop the calls it returned from. */
  popCalls(spAfter: number): void {
    const d = this.data;
    while (this.depth > 0) {
      const o = (this.depth - 1) * W;
      if (d[o] !== FrameKind.Call || d[o + 2] >>> 0 >= spAfter >>> 0) break;
      this.depth--;
    }
  }

  /** After `iret`: drop everything above and including the newest trap frame. */
  popTrap(): void {
    const d = this.data;
    while (this.depth > 0) {
      this.depth--;
      if (d[this.depth * W] === FrameKind.Trap) break;
    }
  }

  frames(): ShadowFrame[] {
    const out: ShadowFrame[] = [];
    const d = this.data;
    const from = this.inheritedDepth();
    for (let i = this.depth - 1; i >= 0; i--) {
      const o = i * W;
      const f: ShadowFrame = { kind: d[o] === FrameKind.Call ? 'call' : 'trap', returnPc: d[o + 1] >>> 0, sp: d[o + 2] >>> 0, target: d[o + 3] >>> 0, fromCpl: d[o + 4] };
      if (i < from) f.cr3 = this.inherited!.cr3;
      out.push(f);
    }
    return out;
  }

  /** How many of the bottom frames are still the ones inherited: up to the first that was popped and replaced. */
  private inheritedDepth(): number {
    const h = this.inherited;
    if (!h) return 0;
    const n = Math.min(h.depth, this.depth);
    for (let k = 0; k < n * W; k++) if (this.data[k] !== h.words[k]) return Math.floor(k / W);
    return n;
  }

  clone(): ShadowStack {
    const s = new ShadowStack();
    if (this.depth > INITIAL) s.data = new Int32Array(this.data.length);
    s.data.set(this.data.subarray(0, this.depth * W));
    s.depth = this.depth;
    s.inherited = this.inherited;
    return s;
  }

  /** A copy for the address space a cr3 write leaves this one for, its frames marked as pushed under `cr3` (this one's). */
  carriedFrom(cr3: number): ShadowStack {
    const s = this.clone();
    s.inherited = { depth: this.depth, cr3, words: this.data.slice(0, this.depth * W) };
    return s;
  }

  /** Bytes this stack holds (for history's estimate). */
  get bytes(): number {
    return 64 + this.data.byteLength + (this.inherited?.words.byteLength ?? 0);
  }
}

/**
 * The block compiler's inline copies of push() for a call and popCalls() (blockgen.ts writes them
 * into compiled code, where a call per guest call and return would cost more than the frame):
 * JavaScript source over `sh`, a ShadowStack, whose data and depth the region keeps in its locals
 * `sd` and `sk` (written back to sh.depth with the rest of its state, read again after a call out),
 * written here beside the layout they depend on.
 */
export function pushSource(kind: number, returnPc: string, sp: string, target: string, cpl: string): string {
  return `{ const o = sk * ${W}; if (o < sd.length) { sd[o] = ${kind}; sd[o + 1] = ${returnPc}; sd[o + 2] = ${sp}; sd[o + 3] = ${target}; sd[o + 4] = ${cpl}; sk++; } else { sh.depth = sk; sh.push(${kind}, ${returnPc}, ${sp}, ${target}, ${cpl}); sd = sh.data; sk = sh.depth; } }`;
}
export const pushCallSource = (returnPc: string, sp: string, target: string, cpl: string) => pushSource(FrameKind.Call, returnPc, sp, target, cpl);
export function popTrapSource(): string {
  return `while (sk > 0) { sk--; if (sd[sk * ${W}] === ${FrameKind.Trap}) break; }`;
}
export function popCallsSource(spAfter: string): string {
  return `while (sk > 0 && sd[(sk - 1) * ${W}] === ${FrameKind.Call} && sd[(sk - 1) * ${W} + 2] >>> 0 < ${spAfter} >>> 0) sk--;`;
}
/** The region's locals of `sh` read (again). */
export const SHADOW_LOCALS = 'sd = sh.data; sk = sh.depth;';

/** Shadow call stacks kept (address spaces with frames): beyond, the least recently used one is dropped. */
export const MAX_SHADOWS = 256;

/** What selectShadow needs of the processor. */
interface ShadowOwner {
  tag: number;
  cr3: number;
  shadow: ShadowStack;
  shadows: Map<number, ShadowStack>;
  shadowKeyOfTag: Map<number, number>;
}

/**
 * Switch `cpu` to the shadow stack of its current tag and page directory. Host memory stays
 * bounded whatever the guest loads into cr3: an empty stack is forgotten when left (it says
 * nothing), and at most MAX_SHADOWS are kept, the least recently used going first.
 */
export function selectShadow(cpu: ShadowOwner): void {
  const key = cpu.tag * 0x100000 + (cpu.cr3 >>> 12);
  const prevKey = cpu.shadowKeyOfTag.get(cpu.tag);
  // A cr3 write by the code running in this tag (not a VM entry or exit, which change the tag).
  const written = prevKey !== undefined && prevKey !== key && cpu.shadows.get(prevKey) === cpu.shadow;
  if (written && prevKey !== 0 && cpu.shadow.depth === 0) cpu.shadows.delete(prevKey);
  let sh = cpu.shadows.get(key);
  if (sh) cpu.shadows.delete(key); // re-inserted below: the Map's order is the order of use
  else {
    sh = new ShadowStack();
    if (cpu.shadows.size >= MAX_SHADOWS) evictShadow(cpu);
  }
  // The code that wrote cr3 goes on on the stack it ran on, whose frames the new address space
  // does not change. One with no frames of its own (execve's new one, a forked child's first run)
  // starts with them, so they are returned through there; one that has its own (a process switched
  // back to) keeps them: its kernel path resumes them.
  if (written && sh.depth === 0 && cpu.shadow.depth !== 0) sh = cpu.shadow.carriedFrom(((prevKey % 0x100000) * 4096) | 0);
  cpu.shadows.set(key, sh);
  cpu.shadow = sh;
  cpu.shadowKeyOfTag.set(cpu.tag, key);
}

function evictShadow(cpu: ShadowOwner): void {
  const current = new Set(cpu.shadowKeyOfTag.values());
  for (const k of cpu.shadows.keys()) {
    if (current.has(k)) continue;
    cpu.shadows.delete(k);
    return;
  }
}
