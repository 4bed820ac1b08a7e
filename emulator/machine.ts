/**
 * The machine as the tools see it: configure, load an image, run in slices,
 * inspect and change state, save and restore. Everything the CLI, the debug
 * adapter and the tests do to the emulator goes through here.
 */
import { Cpu } from './cpu';
import { StopCause, StopReason } from './stops';
import { run } from './exec';
import { countSteps } from './blocks';
import { peekTranslate } from './mmu';
import { MachineState, restoreState, saveState } from './snapshot';
import { readSysReg, writeSysReg } from './system';
import { EventKind, TransitionEvent } from './events';
import { exitReasonName } from './isa/abi';
import { Status, vmcsFieldAddress } from './isa/registers';
import { copyStats, newStats, type TlbStats } from './tlb';
import type { ShadowFrame } from './shadow';
import { copyCosts, CostName, CostTable, cyclesOf } from './isa/costs';
import { AccessKind, AddressSpace, enumerateTables, explainWalk, guestToHost, lookupTables, TableView, tlbEntries, TlbEntryView, WalkExplanation } from './inspect';

export interface MachineConfig {
  /** Physical memory in bytes (multiple of 4 KiB, at most 1 GiB). Default 16 MiB. */
  memory?: number;
  /** TLB entries (power of two, 1..4096). Default 64. */
  tlbEntries?: number;
  /** Console input available from the start. */
  stdin?: string | Uint8Array;
  /** Compile hot register-only loops (default on; results are identical either way). */
  jit?: boolean;
  /** The cycle cost table (§10); default DEFAULT_COSTS. Resolve presets and overrides with resolveCosts(). */
  costs?: CostTable;
}

export interface LoadSegment {
  load: number;
  bytes: Uint8Array;
}

export interface VmSummary {
  id: number;
  vmcs: number;
  entries: number;
  exits: Record<string, number>;
  exitCount: number;
  instructions: number;
  /** Cycles in the guest, its exits' cost included. */
  cycles: number;
  /** Root-mode cycles from this VM's exits to the next entry: the hypervisor's work for it. */
  hostCycles: number;
  tlb: TlbStats;
}

export interface RunSummary {
  instructions: number;
  cycles: number;
  /** Cycles by the cost table's entries (instruction, walkRead, trap, iret, flush, vmExit). */
  cyclesByCause: Record<CostName, number>;
  costs: CostTable;
  exitCode: number;
  /** Every transition of the run, with those past the event log's capacity (counted, not kept); byCause likewise. */
  transitions: number;
  byCause: Record<string, number>;
  tlb: TlbStats;
  vms: VmSummary[];
}

export const DEFAULT_MEMORY = 16 * 1024 * 1024;
export const DEFAULT_TLB = 64;

const encoder = new TextEncoder();

export class Machine {
  readonly cpu: Cpu;

  constructor(config: MachineConfig = {}) {
    this.cpu = new Cpu(config.memory ?? DEFAULT_MEMORY, config.tlbEntries ?? DEFAULT_TLB);
    this.cpu.jit = config.jit ?? true;
    if (config.costs) this.cpu.costs = copyCosts(config.costs);
    if (config.stdin !== undefined && config.stdin.length > 0) this.feedInput(config.stdin);
  }

  /** Load segments at their physical addresses and point pc at the entry. */
  load(segments: readonly LoadSegment[], entry: number): void {
    for (const s of segments) this.cpu.mem.writeBytes(s.load, s.bytes);
    this.cpu.pc = entry | 0;
  }

  /** Run at most `maxSteps` steps (default: until something stops it). Never throws for anything a guest does. */
  run(maxSteps = Number.MAX_SAFE_INTEGER): StopReason {
    const stop = run(this.cpu, Math.max(0, Math.min(maxSteps, Number.MAX_SAFE_INTEGER - this.cpu.icount)));
    countSteps(this.cpu);
    return stop;
  }

  get icount(): number {
    return this.cpu.icount;
  }
  /** The cycle count (§10): deterministic, and restored with the rest of the state. */
  get cycles(): number {
    return this.cpu.cycles;
  }
  /** The cost table this machine counts with. */
  get costs(): Readonly<CostTable> {
    return this.cpu.costs;
  }
  /** Cycles so far by cost entry, and their total. */
  cycleBreakdown(): { total: number; byCause: Record<CostName, number> } {
    return cyclesOf(this.cpu.costCounts(), this.cpu.costs);
  }
  get powered(): boolean {
    return this.cpu.powered;
  }
  get exitCode(): number {
    return this.cpu.exitCode;
  }
  get stopCause(): StopCause | null {
    return this.cpu.stopCause;
  }
  get pc(): number {
    return this.cpu.pc >>> 0;
  }
  set pc(v: number) {
    this.cpu.pc = v | 0;
    this.cpu.fVa = -1;
  }
  get cpl(): number {
    return this.cpu.cpl;
  }
  /** Whether paging is on (cr0.PG): linear addresses go through the page tables. */
  get paging(): boolean {
    return this.cpu.paging;
  }
  get nonRoot(): boolean {
    return this.cpu.nonRoot;
  }
  /** Number of the VM whose code runs now (0 = host). */
  get currentVm(): number {
    return this.cpu.nonRoot ? this.cpu.tag : 0;
  }
  /** The last data access (load, store, push, pop, frame), with the space it was made in; undefined before any. */
  get lastData(): { va: number; pa: number; vm: number } | undefined {
    const c = this.cpu;
    return c.lastDataVa === -1 && c.lastDataPa === -1 ? undefined : { va: c.lastDataVa >>> 0, pa: c.lastDataPa >>> 0, vm: c.lastDataTag };
  }
  /** Whether the last step was an external interrupt dropped because its gate is not present (a step, not an instruction). */
  get droppedLastStep(): boolean {
    return this.cpu.droppedStep === this.cpu.icount;
  }
  /** The vector of the external interrupt whose delivery faulted on the last step (a fault or a VM exit was raised in its place; a step, not an instruction), or -1. */
  get faultedDeliveryLastStep(): number {
    return this.cpu.faultedIrqStep === this.cpu.icount ? this.cpu.faultedIrq : -1;
  }
  /** Whether the CPU sits in `hlt` waiting for an interrupt (steps pass as idle ticks). */
  get halted(): boolean {
    return this.cpu.halted;
  }
  /** Physical address of the current VMCS (set by `vmptrld`), or -1. */
  get currentVmcs(): number {
    return this.cpu.vmcs;
  }
  /** Every VM seen so far (a VMCS that was made current), by number. */
  vms(): { id: number; vmcs: number }[] {
    return [...this.cpu.vmIds].map(([vmcs, id]) => ({ id, vmcs })).sort((a, b) => a.id - b.id);
  }
  /** Installed physical memory in bytes. */
  get memorySize(): number {
    return this.cpu.memSize;
  }
  /** TLB counters of an address-space tag (0 host, n VM n), without summarizing the event log. */
  tlbStatsOf(tag: number): TlbStats {
    // The fetches still counted apart are hits too (as summary() counts them): the same answer whatever was asked before.
    this.cpu.foldFetchHits();
    return copyStats(this.cpu.statsByTag.get(tag) ?? newStats());
  }
  /** Depth of the current address space's shadow call/trap stack (cheaper than callFrames().length). */
  get callDepth(): number {
    return this.cpu.shadow.depth;
  }

  register(n: number): number {
    return this.cpu.r[n];
  }
  setRegister(n: number, v: number): void {
    this.cpu.r[n] = v;
  }
  sysReg(id: number): number {
    return readSysReg(this.cpu, id);
  }
  /** Write a system register as `wrsr` would (status: flags and IF only; CPL/VM are not writable). */
  setSysReg(id: number, v: number): void {
    if (id === 0) {
      this.cpu.fl = v & Status.ARITH;
      this.cpu.st = (this.cpu.st & ~Status.IF) | (v & Status.IF);
      return;
    }
    writeSysReg(this.cpu, id, v);
  }

  /**
   * Queue console input. It becomes visible to the next step (icount + 1): the
   * step that ran last, at icount, did not see it, and a replay after a restore
   * must not either, or time travel would change the run.
   */
  feedInput(data: string | Uint8Array): void {
    this.cpu.console.feed(typeof data === 'string' ? encoder.encode(data) : data, this.cpu.icount + 1);
    this.cpu.reschedule();
  }

  /** Console output bytes from position `from`. */
  output(from = 0): Uint8Array {
    return this.cpu.console.output(from);
  }
  outputText(from = 0): string {
    return this.cpu.console.outputText(from);
  }
  get outputLength(): number {
    return this.cpu.console.outLen;
  }
  /**
   * What the run's limits left out (docs/debugger.md, "Limits"): output bytes written past the
   * output cap, and transitions past the event log's capacity (counted, not kept).
   */
  get limits(): { outputCap: number; outputDropped: number; eventCapacity: number; eventsDropped: number } {
    const c = this.cpu.console;
    return { outputCap: c.outputCap, outputDropped: c.outTotal - c.outLen, eventCapacity: this.cpu.events.capacity, eventsDropped: this.cpu.events.dropped };
  }

  /** Breakpoints by physical address (instruction starts). */
  setBreakpoint(pa: number, on: boolean): void {
    if (pa < 0 || pa >= this.cpu.memSize) return;
    const i = pa >>> 7;
    const bit = 1 << ((pa >>> 2) & 31);
    const had = (this.cpu.bp[i] & bit) !== 0;
    if (on && !had) {
      this.cpu.bp[i] |= bit;
      this.cpu.bpCount++;
      this.cpu.bpPage[pa >>> 12]++;
    } else if (!on && had) {
      this.cpu.bp[i] &= ~bit;
      this.cpu.bpCount--;
      this.cpu.bpPage[pa >>> 12]--;
    }
    this.cpu.fVa = -1; // the fetch cache's breakpoint flag is recomputed on the next fetch
  }
  clearBreakpoints(): void {
    this.cpu.bp.fill(0);
    this.cpu.bpPage.fill(0);
    this.cpu.bpCount = 0;
    this.cpu.fVa = -1;
  }

  /**
   * Data breakpoints. Physical ones watch words; virtual ones watch a linear
   * range, in one address space when `space` says which (VM number, and cr3
   * unless it applies whatever cr3 is loaded), else in whatever runs.
   * mode: 1 read, 2 write, 3 both.
   */
  setWatches(watches: readonly { address: number; length: number; mode: number; physical: boolean; id: number; space?: { vm: number; cr3?: number } }[]): void {
    const cpu = this.cpu;
    cpu.watchPhys = null;
    cpu.watchVirt = [];
    for (const w of watches) {
      if (w.physical) {
        cpu.watchPhys ??= new Uint8Array(cpu.memSize >>> 2);
        // Only the words inside memory: a range reaching far past it must not cost a loop over it.
        const end = Math.min(w.address + Math.max(1, w.length), cpu.memSize);
        for (let a = Math.max(0, w.address & ~3); a < end; a += 4) cpu.watchPhys[a >>> 2] = (w.mode & 3) | ((w.id & 63) << 2);
      } else cpu.watchVirt.push({ va: w.address | 0, len: Math.max(1, w.length), mode: w.mode, id: w.id, tag: w.space?.vm, cr3: w.space?.cr3 });
    }
    cpu.watchOn = cpu.watchPhys !== null || cpu.watchVirt.length > 0;
  }
  /** The data breakpoint that stopped the last run, once. */
  takeWatchHit(): Cpu['watchHit'] {
    const h = this.cpu.watchHit;
    this.cpu.watchHit = null;
    return h;
  }

  /** Stop transitions of these kinds at their target (for step-in and exception breakpoints). */
  stopOnEvents(kinds: readonly EventKind[]): void {
    this.cpu.eventStopMask = kinds.reduce((m, k) => m | (1 << k), 0);
  }

  /** Linear → physical as the CPU would translate now, without side effects; -1 if unmapped. */
  translate(va: number): number {
    return peekTranslate(this.cpu, va | 0);
  }

  // The read-only views of inspect.ts, through the facade: the tools never reach for the CPU.
  /** The walk of `va` read by read; in `space` (a VM that is not running, the host while one runs) when given, else the running space. */
  explainWalk(va: number, access: AccessKind = 'read', cpl = this.cpu.cpl, space?: AddressSpace): WalkExplanation {
    return explainWalk(this.cpu, va, access, cpl, space);
  }
  /** The present entries of the two-level table at host-physical `root` (an EPT's with `ept`); `toHost` places a guest's tables. */
  pageTables(root: number, ept = false, limit = 65536, toHost?: (gpa: number) => number): { tables: TableView[]; truncated: boolean } {
    return enumerateTables(this.cpu, root, ept, limit, toHost);
  }
  /** `va` through the table at `root` whose addresses `toHost` places (a guest's own, under shadow paging); -1 where not present. */
  lookupTables(root: number, va: number, toHost: (gpa: number) => number): number {
    return lookupTables(this.cpu, root, va, toHost);
  }
  /** Guest-physical → host-physical in `space` (through its EPT); -1 where nothing is mapped. */
  guestToHost(space: AddressSpace): (gpa: number) => number {
    return guestToHost(this.cpu, space);
  }
  /** Every valid TLB entry, all tags. */
  tlbEntries(): TlbEntryView[] {
    return tlbEntries(this.cpu);
  }

  readPhysical(pa: number, length: number): Uint8Array {
    const start = Math.max(0, Math.min(pa, this.cpu.memSize));
    const end = Math.max(start, Math.min(pa + length, this.cpu.memSize));
    return this.cpu.m8.slice(start, end);
  }
  writePhysical(pa: number, bytes: Uint8Array): number {
    const n = Math.max(0, Math.min(bytes.length, this.cpu.memSize - pa));
    if (pa < 0 || n === 0) return 0;
    this.cpu.mem.writeBytes(pa, bytes.subarray(0, n));
    return n;
  }

  /** Read linear memory through the current translation; stops at the first unmapped byte. */
  readVirtual(va: number, length: number): Uint8Array {
    const out: number[] = [];
    for (let i = 0; i < length; i++) {
      const pa = this.translate((va + i) | 0);
      if (pa < 0) break;
      out.push(this.cpu.m8[pa]);
    }
    return Uint8Array.from(out);
  }

  readWordPhysical(pa: number): number {
    return pa >= 0 && pa + 4 <= this.cpu.memSize ? this.cpu.m32[pa >>> 2] ?? 0 : 0;
  }

  /** A field of the VMCS at physical `vmcs` (unsigned), as `vmread` would read it there (0 outside memory). */
  vmcsField(vmcs: number, field: number): number {
    return this.readWordPhysical(vmcsFieldAddress(vmcs, field)) >>> 0;
  }

  saveState(): MachineState {
    return saveState(this.cpu);
  }
  restoreState(s: MachineState): void {
    restoreState(this.cpu, s);
  }

  /** Shadow call/trap frames of the current address space (host or the running VM), newest first. */
  callFrames(): ShadowFrame[] {
    return this.cpu.shadow.frames();
  }
  /** Shadow frames of a given address-space tag (0 host, n VM n). */
  callFramesOf(tag: number): ShadowFrame[] {
    const key = this.cpu.shadowKeyOfTag.get(tag);
    return key === undefined ? [] : (this.cpu.shadows.get(key)?.frames() ?? []);
  }

  get eventCount(): number {
    return this.cpu.events.length;
  }
  event(i: number): TransitionEvent {
    return this.cpu.events.get(i);
  }

  summary(): RunSummary {
    this.cpu.foldFetchHits();
    const ev = this.cpu.events;
    // Past the log's capacity events are counted, not kept: the totals are the run's all the same.
    const byCause = ev.byCause();
    const host = this.cpu.statsByTag.get(0)!;
    const vms = this.vmSummaries();
    const cyc = this.cycleBreakdown();
    return { instructions: this.cpu.icount, cycles: cyc.total, cyclesByCause: cyc.byCause, costs: { ...this.cpu.costs }, exitCode: this.cpu.exitCode, transitions: ev.length + ev.dropped, byCause, tlb: { ...host }, vms };
  }

  /** Each VM's counts (summary().vms) without summarizing the event log: a view that shows a VM's figures at every stop reads these. */
  vmSummaries(): VmSummary[] {
    this.cpu.foldFetchHits();
    // A VM still running, or a hypervisor still handling an exit, has cycles not yet folded in.
    const now = this.cpu.cycles;
    return [...this.cpu.vmStats.values()]
      .sort((a, b) => a.id - b.id)
      .map((v): VmSummary => {
        const exits: Record<string, number> = {};
        let exitCount = 0;
        for (const [r, n] of [...v.exits].sort((a, b) => a[0] - b[0])) {
          exits[exitReasonName(r)] = n;
          exitCount += n;
        }
        const running = this.cpu.nonRoot && this.cpu.tag === v.id ? now - this.cpu.entryCycles : 0;
        const handling = this.cpu.lastExitVm === v.id ? now - this.cpu.exitCycles : 0;
        return { id: v.id, vmcs: v.vmcs, entries: v.entries, exits, exitCount, instructions: v.instructions, cycles: v.cycles + running, hostCycles: v.hostCycles + handling, tlb: { ...v.tlb } };
      });
  }
}

export type { StopReason, MachineState };
