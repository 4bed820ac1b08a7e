/**
 * Compiling a page's region: its entries' blocks decoded (blockdecode.ts), the source written and
 * made a function (blockgen.ts), and the functions kept for every machine of the process, with
 * what tells whether the words a region was compiled from are still in memory. Which entries a
 * page's region has is blocks.ts's.
 */
import type { Cpu } from './cpu';
import { decode, Insn } from './blockdecode';
import { buildRegion } from './blockgen';

/** The compiled code of (some entries of) one page. */
export interface Region {
  /** Physical address of the page. */
  page: number;
  /** Entry points (page offsets), and the words of each one's block with where they are (m32 indices; a followed call or jump makes a block's words discontiguous): to tell which changed. */
  offs: number[];
  words: Int32Array[];
  at: Int32Array[];
  /** Instruction words the region covers: what its entry check compares. */
  size: number;
  /** Length of its JavaScript source: what V8 pays to compile it, and whether V8 will optimize it (blocks.ts MAX_REGION_CHARS). */
  chars: number;
  /** Runs from pc0 (an entry): 0 ran (cpu as the interpreter leaves it), 1 nothing ran (the deadline is too near), 2 stale. */
  run: (cpu: Cpu, pc0: number) => number;
}
/**
 * Compiled functions by the code they were compiled from, shared by every machine of the process:
 * the same code in another machine (a restart, the next test) reuses the function V8 has already
 * optimized. Bounded by the total length of the sources kept.
 */
const compiled = new Map<string, { run: Region['run']; chars: number }>();
let compiledChars = 0;
const MAX_SHARED_CHARS = 16_000_000;
/** Source characters this process has compiled (not counting reuse): what a compile cost (blocks.ts's budget). */
let builtChars = 0;
export const charsBuilt = (): number => builtChars;

/** What compileRegion() is asked besides the entries. */
export interface CompileOptions {
  /** Source characters the region may have: longer, it is not made (undefined), and nothing is kept. */
  maxChars?: number;
}

/**
 * Compile the region of the page at physical `page` for the entries `offs` (page offsets), with
 * the inline page-fault delivery when `faults` (the machine runs paged, in root mode).
 * Entries whose first instruction the compiler does not handle are left out: `offs` of the
 * result says which are in. Undefined when none is.
 */
export function compileRegion(m32: Int32Array, page: number, offs: readonly number[], faults = false, opts: CompileOptions = {}): Region | undefined {
  const entries = [...new Set(offs)].sort((x, y) => x - y);
  const quick = quickKey(page, faults, entries);
  const hit = reuse(m32, quick);
  if (hit) return hit;
  const blocks: Insn[][] = [];
  const kept: number[] = [];
  // Besides the blocks' words, those decode() read and left out: where a block's decoding stopped, and the first of each entry left out.
  const also: number[] = [];
  for (const off of entries) {
    const b = decode(m32, page + off);
    if (b.stop >= 0) also.push(b.stop);
    if (b.insns.length === 0) continue;
    blocks.push(b.insns);
    kept.push(off);
  }
  if (kept.length === 0) return undefined;
  const at = blocks.map((b, e) => {
    const ix: number[] = [];
    for (const i of b) for (let k = 0; k < i.size; k += 4) ix.push((page + kept[e] + i.off + k) >>> 2);
    return Int32Array.from(ix);
  });
  const words = at.map((ix) => ix.map((j) => m32[j]));
  // The source follows from the page, the entries and their words: those are the cache's key, so
  // code met again (the next machine, a page whose region is rebuilt) skips writing the source.
  const key = `${page}:${faults ? 'f' : ''}${kept.join(',')}:${words.map((w) => w.join(',')).join(';')}`;
  let built: { run: Region['run']; chars: number } | undefined = compiled.get(key);
  if (!built) {
    built = buildRegion(m32, page, blocks, kept, faults, opts.maxChars);
    if (!built) return undefined;
    if (compiledChars + built.chars > MAX_SHARED_CHARS) {
      compiled.clear();
      lastCompiled.clear();
      lastOf.clear();
      compiledChars = 0;
    }
    compiled.set(key, built);
    compiledChars += built.chars;
    builtChars += built.chars;
  }
  const region: Region = { page, offs: kept, words, at, size: words.reduce((s, w) => s + w.length, 0), chars: built.chars, run: built.run };
  keep(lastCompiled, quick, { ...region, also, alsoWords: also.map((j) => m32[j]) }, (a, b) => a.run === b.run);
  // The latest region of each entry, a join's too: the next machine meeting any of them makes them all at once.
  for (const off of kept) keep(lastOf, beforeKey(page + off, faults), quick, (a, b) => a === b);
  return region;
}

/**
 * For the physical address of each entry this process compiled, the keys of the last regions it was
 * compiled in (with the page's other warm entries, or joined with others: blocks.ts), the latest
 * first: what compiledBefore() looks up. Before, only a new entry's first region was kept: a
 * machine meeting code that a machine before it had joined made its entries' first regions again
 * and joined them again (demand paging in the benchmark, five regions and two joins over the first
 * ten machines). Then only the last: programs loaded at the same addresses (the benchmark's
 * workloads, a test suite's programs, a student's edited program) found another program's region
 * there, counted their entries hot again and compiled them again from the process's functions
 * (0.1 to 0.3 ms a machine, a tenth of a run of demand paging).
 */
const lastOf = new Map<number, string[]>();
/** Regions kept per entry address, and per page and entries. */
const MAX_KEPT = 8;

/** `v` first in `map`'s list under `k` (one `same` as it dropped), MAX_KEPT at most. */
function keep<K, V>(map: Map<K, V[]>, k: K, v: V, same: (a: V, b: V) => boolean): void {
  const list = (map.get(k) ?? []).filter((x) => !same(x, v));
  list.unshift(v);
  if (list.length > MAX_KEPT) list.length = MAX_KEPT;
  map.set(k, list);
}
/** A number, not a string: the interpreter asks at every arrival at an address that is no entry yet. */
const beforeKey = (pa: number, faults: boolean) => pa * 2 + (faults ? 1 : 0);

/** Whether this process compiled any entry (so compiledBefore() may find one). */
export const anyCompiledBefore = (): boolean => lastOf.size !== 0;

/** The last region the entry at physical `pa` was compiled in from the words memory holds now, if this process compiled one; never compiles. */
export function compiledBefore(m32: Int32Array, pa: number, faults: boolean): Region | undefined {
  const keys = lastOf.get(beforeKey(pa, faults));
  if (keys === undefined) return undefined;
  for (const quick of keys) {
    const r = reuse(m32, quick);
    if (r) return r;
  }
  return undefined;
}

/**
 * The last regions compiled for a page's entries (by page, fault flag and entries; the latest
 * first, one per program that had code there), with the other words each one's decoding read: met
 * again — the next machine, a page whose region was rebuilt — with all those words as they were,
 * it is the same region, without decoding the blocks again and keying the shared cache by every
 * word. Cleared with that cache.
 */
type Kept = Region & { also: number[]; alsoWords: number[] };
const lastCompiled = new Map<string, Kept[]>();

const quickKey = (page: number, faults: boolean, entries: readonly number[]) => `${page}:${faults ? 'f' : ''}${entries.join(',')}`;

/** lastCompiled's region under `quick` (a region of its own, sharing the arrays) whose words m32 holds, if any. */
function reuse(m32: Int32Array, quick: string): Region | undefined {
  const r = lastCompiled.get(quick)?.find((k) => unchanged(m32, k));
  return r && { page: r.page, offs: r.offs, words: r.words, at: r.at, size: r.size, chars: r.chars, run: r.run };
}

/** Whether the words of the block of entry `e` of the region are as they were compiled. */
export function blockUnchanged(m32: Int32Array, r: Region, e: number): boolean {
  const w = r.words[e];
  const at = r.at[e];
  for (let i = 0; i < w.length; i++) if (m32[at[i]] !== w[i]) return false;
  return true;
}

function unchanged(m32: Int32Array, r: Kept): boolean {
  for (let e = 0; e < r.offs.length; e++) if (!blockUnchanged(m32, r, e)) return false;
  for (let k = 0; k < r.also.length; k++) if (m32[r.also[k]] !== r.alsoWords[k]) return false;
  return true;
}
