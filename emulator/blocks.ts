/**
 * The block compiler's code cache: per physical page, the region (blockgen.ts)
 * that holds the compiled blocks of the page's hot entry points. An entry
 * becomes hot after ENTRY_HOT_ARRIVALS arrivals of the interpreter at it, or at its first when
 * this process compiled it before from the same words; it is compiled with the
 * page's other warm entries, and regions whose entries run into each other often
 * are joined into the page's region, so code that calls, returns and loops within
 * a page ends up in one function. A region whose words changed
 * is compiled again from memory (an entry whose code keeps changing is left
 * to the interpreter).
 */
import type { Cpu } from './cpu';
import { anyCompiledBefore, blockUnchanged, charsBuilt, compiledBefore, CompileOptions, compileRegion as compileShared, Region } from './blockcache';
import { Status } from './isa/registers';
import { throughOnly } from './blockdecode';

export { ENTRY_HOT_ARRIVALS } from './cpuState';
/** Recompilations of one entry (its code keeps changing) before it is left to the interpreter. */
const MAX_RECOMPILES = 8;
/** Instruction words one region covers at most (its entry check compares them all); later entries get regions of their own. */
const MAX_REGION_WORDS = 384;
/**
 * Source characters one region has at most, as MAX_REGION_WORDS. V8 never optimizes a function of
 * more than 60 KiB of bytecode (its --max-optimized-bytecode-size; a region's bytecode is about
 * 0.65 bytes a character): a larger region would run in V8's interpreter for good, slower than
 * ours. Bigger regions also take longer to be optimized (V8 waits longer on more bytecode).
 */
const MAX_REGION_CHARS = 90_000;
/** What every region's source has whatever its blocks (the entry check, locals, the way out): counted once when regions join. */
const REGION_BASE_CHARS = 4_000;
/**
 * Runs of the page's other regions (entries compiled after its region) after which they join its
 * region, if they came no more than MERGE_GAP steps apart on average: a run through runBlocks()
 * costs the interpreter's exit and the region's entry (well under a microsecond), and a join
 * compiles the whole region again, which V8 then runs slowly until it has optimized it again
 * (tens of milliseconds for a large region). Loops of a program's phases that meet once a pass stay apart.
 */
const LOOSE_RUNS = 32;
const MERGE_GAP = 4_096;
/** Entries of a page compiled together when one of them gets hot: those with this fraction of the arrivals that make an entry hot (see warmEntries). */
const WARM_SHIFT = 2;
/** New entries compiled together at most. */
const MAX_GROUP = 16;

/**
 * The compile budget, for the process (compiled code is shared by its machines): source characters
 * earned by each step any machine runs, and spent on each region built. A compile waits until
 * COMPILE_AHEAD characters are earned and not spent. V8 takes about 80 ns a character to compile a
 * region (and the compiler's own code is compiled when first used), and runs it slowly until it has
 * optimized it: with every entry that got hot compiled, the lecture samples (50,000 to 2 million
 * steps; `npm run bench`) took twice as long as with the interpreter alone. A program earns its
 * first region in a million steps (10 to 20 ms), then one of 10,000 characters every 100,000.
 */
const COMPILE_RATE = 0.1;
const COMPILE_AHEAD = 100_000;
const account = { credit: 0, spent: 0 };

/** The steps the machine ran since it was last counted (`icount` now) added to the credit. */
function earn(cpu: Cpu, icount: number): void {
  const steps = icount - cpu.budgetMark;
  if (steps > 0) account.credit += steps * COMPILE_RATE;
  // A restored snapshot (step back) moves icount back: nothing earned, and asked again at once.
  else if (steps < 0) cpu.budgetRetry = icount;
  cpu.budgetMark = icount;
}

/**
 * Count a machine's steps at the end of each run (Machine.run): code that runs compiled for good
 * asks for no compile, and its steps would otherwise never be counted.
 */
export function countSteps(cpu: Cpu): void {
  if (cpu.jit && cpu.compileBudget) earn(cpu, cpu.icount);
}

/** Whether enough credit is left for a compile, with the steps run so far counted. */
function canCompile(cpu: Cpu): boolean {
  if (!cpu.compileBudget) return true;
  const icount = cpu.icount;
  earn(cpu, icount);
  // Not asked again before this machine alone could have earned what is missing: a hot loop waiting
  // for its compile pays a few compares an arrival.
  if (icount < cpu.budgetRetry) return false;
  const missing = COMPILE_AHEAD - (account.credit - account.spent);
  if (missing <= 0) return true;
  cpu.budgetRetry = icount + Math.ceil(missing / COMPILE_RATE);
  return false;
}

/**
 * Whether the interpreter should offer code to the compilers now: this machine has compiled code to
 * run (blocks, or loops: jit.ts), the process has code compiled before (met again, it is used at
 * once), or the budget allows a compile. Before that nothing could be compiled, and counting heat
 * at every jump costs a short run more than it saves: the heat counted once compiling may start
 * finds the hot code within its first 32 arrivals.
 */
export function compiling(cpu: Cpu): boolean {
  return cpu.liveBlocks > 0 || cpu.loops.size > 0 || !cpu.compileBudget || anyCompiledBefore() || canCompile(cpu);
}

/** The budget as it stands, and (tests) started afresh. */
export function compileAccount(fresh = false): { credit: number; spent: number } {
  if (fresh) {
    account.credit = 0;
    account.spent = 0;
  }
  return { ...account };
}

/** compileRegion() with what it built (not what it reused) charged to the budget (a machine off the budget is not charged). */
function compileRegion(cpu: Cpu, page: number, offs: readonly number[], opts?: CompileOptions): Region | undefined {
  const before = charsBuilt();
  const r = compileShared(cpu.m32, page, offs, faultsHere(cpu), opts);
  if (cpu.compileBudget) account.spent += charsBuilt() - before;
  return r;
}

/** Whether code compiled now should deliver page faults itself: paging on, in root mode (blockgen.ts regionSource). */
const faultsHere = (cpu: Cpu) => cpu.paging && (cpu.st & Status.VM) === 0;

/** An address that cannot start a block. */
const NO_BLOCK: Region = { page: -1, offs: [], words: [], at: [], size: 0, chars: 0, run: () => 1 };
/** Whether a slot holds compiled code (not empty, not NO_BLOCK). */
const isEntry = (r: Region | undefined): r is Region => r !== undefined && r !== NO_BLOCK;

/** A page's compiled code: the region of each entry slot (one per word), the region new entries join, and the entries compiled since it was last compiled (in regions of their own). */
export interface PageCode {
  slots: (Region | undefined)[];
  region: Region | undefined;
  loose: number[];
  looseSize: number;
  looseChars: number;
  /** Runs of those entries' regions after another region since `looseMark` (an icount): LOOSE_RUNS within MERGE_GAP steps each, and they join the region. */
  looseRuns: number;
  looseMark: number;
  /** The region run last from this page. */
  last: Region | undefined;
}

/**
 * The interpreter's arrival at `pa` (no entry there yet) counted. Heat by address, hashed: a slot
 * holds one address (its word number) and its count, so code that runs once at ever new addresses
 * never adds up to a compile of code that runs once. Returns what to make an entry of now: the
 * region this process compiled before for it (another machine, a restart: made and optimized
 * already), true to compile it (hot, and the budget allows), or false.
 */
function due(cpu: Cpu, pa: number): Region | boolean {
  const w = pa >>> 2;
  const hk = w & 0xffff;
  const h = cpu.blockHeat[hk] === w ? cpu.blockHeatCount[hk] : 0;
  if (h < cpu.blockHot) {
    const known = compiledBefore(cpu.m32, pa, faultsHere(cpu));
    if (known) return known;
    cpu.blockHeat[hk] = w;
    cpu.blockHeatCount[hk] = h + 1;
    return false;
  }
  // Hot, but the budget is spent for the steps run so far: compiled later, if still hot.
  return canCompile(cpu);
}

/**
 * Run compiled code from the instruction at `pa` (physical, on the cached
 * fetch page, which holds no breakpoint). Returns whether any ran (then
 * cpu.pc and everything else are as the interpreter would have left them).
 */
export function runBlocks(cpu: Cpu, pa: number): boolean {
  const page = pa >>> 12;
  const slot = (pa & 0xfff) >>> 2;
  // A page's slots are made when its first entry is compiled, not when code on it first runs:
  // code run once on every page of a large memory costs nothing here.
  const code = cpu.blockPages[page];
  let b = code?.slots[slot];
  if (isEntry(b) && b !== code!.last) b = countRun(cpu, code!, b, slot);
  if (b === undefined) {
    const d = due(cpu, pa);
    if (d === false) return false;
    b = addEntry(cpu, page, slot, d === true ? undefined : d);
  }
  if (!isEntry(b)) return false;
  const res = b.run(cpu, cpu.pc);
  if (res === 2) {
    // Rewritten code: the interpreter runs this instruction, the region is compiled again for next time.
    refresh(cpu, b);
    return false;
  }
  return res === 0;
}

/**
 * A run of region `b` (the slot's) after another region of the page: the same one entered again,
 * after it left for a trap or a walk, is not counted. A loose region's runs count toward joining
 * the page's region: LOOSE_RUNS of them within LOOSE_RUNS × MERGE_GAP steps, and they are joined.
 * Returns the slot's region, the joined one if they were.
 */
function countRun(cpu: Cpu, code: PageCode, b: Region, slot: number): Region | undefined {
  code.last = b;
  if (b === code.region || !code.loose.includes(slot << 2) || ++code.looseRuns < LOOSE_RUNS) return b;
  if (cpu.icount - code.looseMark > LOOSE_RUNS * MERGE_GAP) restartRuns(cpu, code);
  else if (canCompile(cpu)) {
    merge(cpu, code, b.page);
    return code.slots[slot];
  }
  return b;
}

/** Count the loose regions' runs afresh from now. */
function restartRuns(cpu: Cpu, code: PageCode): void {
  code.looseRuns = 0;
  code.looseMark = cpu.icount;
}

/**
 * Make `slot` of `page` an entry, with the page's other warm entries (warmEntries): compiled
 * together in one region, which becomes the page's region if it has none, else runs beside it
 * (its entries loose) until runs between them are frequent (runBlocks). One compile for the hot
 * code of a loop or a recursion rather than one per entry and one per join: each new function is
 * run slowly by V8 until it has optimized it, so a program that compiled its page five times over
 * ran for a while slower than the interpreter (recursive fib as a fresh `ringside run`).
 */
function addEntry(cpu: Cpu, page: number, slot: number, compiled?: Region): Region | undefined {
  const base = page << 12;
  let code = cpu.blockPages[page];
  const existing = code ? entriesOf(code) : [];
  // An entry the page's compiled blocks run through (blockdecode.ts throughOnly) is compiled alone,
  // and kept apart from the page's region. A group too long for V8 to optimize: the entry alone.
  const apart = existing.length !== 0 && inBlocks(code!, existing, base + (slot << 2)) && throughOnly(cpu.m32, base, [slot << 2, ...existing]).has(slot << 2);
  const group = compiled || apart ? [] : warmEntries(cpu, code, existing, page, slot);
  // The group's blocks run through the entry itself: they are compiled, it is made an entry later, apart.
  const leftOut = group.length !== 0 && !group.includes(slot << 2);
  const r =
    compiled ??
    (group.length !== 0 ? compileRegion(cpu, base, group, { maxChars: MAX_REGION_CHARS }) : undefined) ??
    compileRegion(cpu, base, [slot << 2]);
  const isNew = (off: number) => code?.slots[off >>> 2] === undefined;
  let fresh = r ? r.offs.filter(isNew) : [];
  if (cpu.liveBlocks + Math.max(fresh.length, 1) > cpu.maxLiveBlocks) {
    // A guest that keeps making new code (writing it to ever new addresses) would keep a
    // compiled block per address: past the cap the machine's code cache starts afresh.
    flushBlocks(cpu);
    code = undefined;
    fresh = r ? [...r.offs] : [];
  }
  code ??= cpu.blockPages[page] = { slots: new Array<Region | undefined>(1024).fill(undefined), region: undefined, loose: [], looseSize: 0, looseChars: 0, looseRuns: 0, looseMark: cpu.icount, last: undefined };
  cpu.liveBlocks += fresh.length;
  if (r && fresh.length !== 0) {
    for (const off of fresh) code.slots[off >>> 2] = r;
    const cur = code.region;
    if (!cur) code.region = r;
    // Loose (to join the page's region later) while the joined region would stay within the caps.
    else if (!apart && cur.size + code.looseSize + r.size <= MAX_REGION_WORDS && cur.chars + code.looseChars + r.chars - REGION_BASE_CHARS * (code.loose.length + 1) <= MAX_REGION_CHARS) {
      if (code.loose.length === 0) restartRuns(cpu, code);
      code.loose.push(...fresh);
      code.looseSize += r.size;
      code.looseChars += r.chars;
    }
  }
  // Unless the group was too long and the entry was compiled alone after all.
  if (leftOut && r && !r.offs.includes(slot << 2)) return undefined;
  return (code.slots[slot] ??= NO_BLOCK);
}

/**
 * `slot` and the page's other warm entries: addresses with no entry yet that the interpreter
 * arrived at a quarter as often as makes an entry hot, the warmest first (MAX_GROUP at most), but
 * for those that the others' blocks or the page's `existing` entries' only run through
 * (blockdecode.ts throughOnly). Found in the heat table, which holds each address in one slot.
 */
function warmEntries(cpu: Cpu, code: PageCode | undefined, existing: readonly number[], page: number, slot: number): number[] {
  const warm = Math.max(1, cpu.blockHot >> WARM_SHIFT);
  const found: { off: number; heat: number }[] = [];
  for (let k = 0; k < 1024; k++) {
    if (k === slot || code?.slots[k] !== undefined) continue;
    const w = (page << 10) | k;
    const hk = w & 0xffff;
    if (cpu.blockHeat[hk] === w && cpu.blockHeatCount[hk] >= warm) found.push({ off: k << 2, heat: cpu.blockHeatCount[hk] });
  }
  found.sort((a, b) => b.heat - a.heat || a.off - b.off);
  const group = [slot << 2, ...found.slice(0, MAX_GROUP - 1).map((f) => f.off)];
  const out = throughOnly(cpu.m32, page << 12, [...group, ...existing]);
  const kept = group.filter((off) => !out.has(off));
  // The entry itself is one the others run through: they are compiled, it is not (yet).
  return kept.length !== 0 ? kept : [slot << 2];
}

/** The page offsets of the page's entries that have compiled code. */
function entriesOf(code: PageCode): number[] {
  const offs: number[] = [];
  const slots = code.slots;
  for (let k = 0; k < slots.length; k++) if (isEntry(slots[k])) offs.push(k << 2);
  return offs;
}

/**
 * Whether the word at physical `pa` is one of the compiled blocks of the page's entries `existing`,
 * after its first word: only then can throughOnly() find it run through, and decode those blocks
 * again. A machine meeting code this process compiled before makes each of its regions an entry at
 * once, and decoding every block of the page for each took 4% to 5% of a run of the TLB misses.
 */
function inBlocks(code: PageCode, existing: readonly number[], pa: number): boolean {
  const w = pa >>> 2;
  for (const off of existing) {
    const r = code.slots[off >>> 2]!;
    const e = r.offs.indexOf(off);
    if (e < 0) return true;
    const at = r.at[e];
    for (let k = 1; k < at.length; k++) if (at[k] === w) return true;
  }
  return false;
}

/**
 * Compile the region of the page at physical `page` again with its loose entries (compiled since,
 * in regions of their own); returns it. Rewritten code can have left the page without a region
 * (refresh: its entries changed too often, or no longer compile): the loose entries are then
 * joined on their own.
 */
function merge(cpu: Cpu, pc: PageCode, page: number): Region | undefined {
  const offs = pc.region?.offs ?? [];
  const joined = compileRegion(cpu, page, [...offs, ...pc.loose]);
  const first = pc.loose[0];
  pc.loose = [];
  pc.looseSize = 0;
  pc.looseChars = 0;
  restartRuns(cpu, pc);
  if (!joined) return undefined;
  return install(pc, joined, true, first >>> 2, offs.filter((o) => !joined.offs.includes(o)));
}

/** Point the slots of the region's entries at it (entries that no longer compile at NO_BLOCK); returns the region of `slot`. */
function install(pc: PageCode, region: Region, main: boolean, slot: number, dropped: readonly number[] = []): Region {
  for (const off of dropped) pc.slots[off >>> 2] = NO_BLOCK;
  for (const off of region.offs) pc.slots[off >>> 2] = region;
  if (main) pc.region = region;
  return pc.slots[slot] ?? NO_BLOCK;
}

/** Compile a stale region again from memory; entries whose code keeps changing are left to the interpreter. */
function refresh(cpu: Cpu, old: Region): void {
  const pc = cpu.blockPages[old.page >>> 12];
  if (!pc) return;
  const m32 = cpu.m32;
  const keep: number[] = [];
  const dropped: number[] = [];
  old.offs.forEach((off, e) => {
    if (!blockUnchanged(m32, old, e)) {
      const pa = old.page + off;
      const c = (cpu.recompiles.get(pa) ?? 0) + 1;
      cpu.recompiles.set(pa, c);
      if (c > MAX_RECOMPILES) {
        dropped.push(off);
        return;
      }
    }
    keep.push(off);
  });
  const region = keep.length ? compileRegion(cpu, old.page, keep) : undefined;
  const main = pc.region === old;
  if (main) pc.region = undefined;
  for (const off of old.offs) if (pc.slots[off >>> 2] === old) pc.slots[off >>> 2] = undefined;
  if (!region) {
    for (const off of old.offs) pc.slots[off >>> 2] ??= NO_BLOCK;
    return;
  }
  for (const off of keep) if (!region.offs.includes(off)) dropped.push(off);
  install(pc, region, main, region.offs[0], dropped);
}

/** Forget every compiled block of the machine (and the recompilation counts): the code cache starts afresh. */
export function flushBlocks(cpu: Cpu): void {
  cpu.blockPages.fill(undefined);
  cpu.recompiles.clear();
  cpu.liveBlocks = 0;
}

/** Whether the instruction at physical `pa` is an entry with compiled code in this machine. */
export function hasEntry(cpu: Cpu, pa: number): boolean {
  return isEntry(cpu.blockPages[pa >>> 12]?.slots[(pa & 0xfff) >>> 2]);
}

/** How many entries (blocks) are compiled in this machine now (tests and tools). */
export function compiledBlocks(cpu: Cpu): number {
  let n = 0;
  for (const p of cpu.blockPages) if (p) for (const b of p.slots) if (isEntry(b)) n++;
  return n;
}
