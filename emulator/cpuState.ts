/**
 * The R32 processor's state: registers, memory, the TLB, the counters, the debugger's and the
 * compilers' bookkeeping. Its behaviour (translation, loads and stores, the mode) is cpu.ts's Cpu,
 * which extends it; the interpreter loop is exec.ts.
 */
import { PhysicalMemory } from './memory';
import { newStats, Tlb, TlbStats } from './tlb';
import { Console } from './devices';
import { TransitionLog } from './events';
import { ShadowStack } from './shadow';
import { copyCosts, CostTable, DEFAULT_COSTS } from './isa/costs';
import type { CompiledLoop } from './jit';
import type { PageCode } from './blocks';
import type { StopCause, StopReason } from './stops';
import type { VmStats } from './vmx';

export interface WatchHit {
  va: number;
  pa: number;
  access: 'read' | 'write';
  id: number;
}

/** Compiled blocks one machine keeps at most (blocks.ts; a few KB each): far more than a course program has. */
export const MAX_LIVE_BLOCKS = 5_000;
/**
 * Arrivals of the interpreter at an address (by a jump, call or return) before it becomes an entry
 * of its page's region (blocks.ts). Hot loops cross it within microseconds.
 */
export const ENTRY_HOT_ARRIVALS = 32;

export class CpuState {
  readonly r = new Int32Array(16);
  pc = 0;
  /** Arithmetic flags Z N C V (status bits 0-3). */
  fl = 0;
  /** The rest of status: IF, CPL, and (internal, never visible to the guest) the non-root mode bit. */
  st = 0;
  cr0 = 0;
  cr2 = 0;
  cr3 = 0;
  ivt = 0;
  ksp = 0;
  /** The ring-1 stack pointer (x86 TSS.esp1), for gates whose handler runs in ring 1. */
  ksp1 = 0;

  readonly mem: PhysicalMemory;
  readonly m8: Uint8Array;
  readonly m32: Int32Array;
  readonly memSize: number;
  readonly dirty: Uint8Array;
  readonly tlb: Tlb;
  readonly console: Console;
  readonly events: TransitionLog;

  /** Address-space tag (0 host, n VM n) and its TLB counters. */
  tag = 0;
  tagKey = 0;
  stats: TlbStats = newStats();
  readonly statsByTag = new Map<number, TlbStats>([[0, this.stats]]);
  /** Whether linear addresses need translation (paging on, or EPT on in a guest). */
  paging = false;
  needR = 0;
  needW = 0;
  needX = 0;
  /** One-page fetch cache (a TLB entry's translation, or identity when flat); fVa = -1 when invalid. */
  fVa = -1;
  /** Fetches served by the cache since the last fold into `stats.hits` (a TLB hit each, when paging). */
  fetchHits = 0;
  fPa = 0;
  fSlot = -1;

  /** Steps taken: instructions executed (completed or faulted), interrupts delivered, idle ticks. */
  icount = 0;
  /** The cost model's event counts (cycles = counts × costs; instructions = icount - cEvSteps). */
  costs: CostTable = copyCosts(DEFAULT_COSTS);
  cWalk = 0;
  cTrap = 0;
  cIret = 0;
  cFlush = 0;
  cExit = 0;
  /** Steps that are not instructions: interrupts and VM exits taken between instructions. */
  cEvSteps = 0;
  /** The step (icount after it) at which an external interrupt was last dropped for want of a gate (--trace says so), or -1. */
  droppedStep = -1;
  /** The step at which an external interrupt's delivery last faulted (a fault raised, or a VM exit, in its place: --trace says so), or -1; and its vector. */
  faultedIrqStep = -1;
  faultedIrq = 0;
  /**
   * The cycles of the counts above but instructions, less the instruction cost of cEvSteps: added
   * to as each count changes (with the cost of what it counts), so that the cycle count is
   * icount × costs.instruction + cOther, one multiply for every transition event.
   */
  cOther = 0;
  /** VM cycle attribution: cycles at the last entry, at the last exit, and the VM that exited last (0 none). */
  entryCycles = 0;
  exitCycles = 0;
  lastExitVm = 0;
  /** The loop stops to service events when icount reaches this. */
  deadline = 0;
  /** Budget end of the current run() call. */
  limit = 0;

  halted = false;
  /**
   * The step count at which an external interrupt is not taken: the boundary right after an `sti`
   * that set IF (x86's STI interrupt shadow: `sti; hlt` halts before any interrupt can come, so the
   * interrupt wakes the `hlt` rather than being taken, and missed, just before it). -1: none.
   */
  stiBlocked = -1;
  /** Pending external interrupts: bit 0 timer (32), bit 1 console (33). */
  pending = 0;
  timerPeriod = 0;
  timerNext = Infinity;
  /** Input bytes already signalled with interrupt 33. */
  inputSignalled = 0;

  powered = true;
  exitCode = 0;
  stopReq: StopReason | null = null;
  /** Why the machine stopped for good (power-off, triple fault, hlt that nothing can wake); words for it live above. */
  stopCause: StopCause | null = null;
  /** Bitmask of 1 << EventKind: stop after such a transition. */
  eventStopMask = 0;
  /** Whether a delivery is in progress (a fault now is a triple fault). */
  delivering = false;
  /** While a fault raised in place of an interrupt's delivery may exit the VM: the interrupt, for the exit's idt_vectoring (traps.ts faultWhileDelivering); else 0. */
  vectoring = 0;
  /**
   * Words the machine itself wrote (A/D bits, trap frames, the VMCS) into pages that hold compiled
   * code: compiled code compares its own words after a walk or a trap only when this moved.
   */
  codeWrites = 0;
  /** Set by slow paths that fault without returning an address. */
  faulted = false;

  /** Breakpoints: one bit per physical word, and a count per physical page. */
  readonly bp: Uint32Array;
  readonly bpPage: Uint16Array;
  bpCount = 0;
  /** Whether the fetch-cache page holds a breakpoint. */
  fBp = false;
  /** Data breakpoints: per physical word, bit 0 read, bit 1 write; virtual ones in a list. */
  watchOn = false;
  watchPhys: Uint8Array | null = null;
  /** Virtual watches; `tag` (and `cr3`) set: only in that address space. */
  watchVirt: { va: number; len: number; mode: number; id: number; tag?: number; cr3?: number }[] = [];
  watchHit: WatchHit | null = null;
  /** Physical address and linear address of the last data access (for the panels), and the
   * address space it was made in (the TLB tag: 0 host, n VM n). */
  lastDataVa = -1;
  lastDataPa = -1;
  lastDataTag = 0;

  /**
   * Shadow call stacks by address space: the tag (host or VM) and the page directory,
   * so each process of a kernel keeps its own frames. `shadow` is the current one.
   */
  shadow = new ShadowStack();
  shadows = new Map<number, ShadowStack>([[0, this.shadow]]);
  /** The shadow-stack key each tag used last (for a VM that is not running now). */
  shadowKeyOfTag = new Map<number, number>([[0, 0]]);

  /** Trap delivery's one-go common case (traps.ts quickDeliver); tests turn it off to hold it to the step-by-step delivery. */
  quickTraps = true;
  /** The loop compiler (jit.ts): on/off, heat of loop heads by physical address, compiled loops. */
  jit = true;
  readonly hot = new Uint8Array(8192);
  readonly loops = new Map<number, CompiledLoop>();
  /** The block compiler (blocks.ts): compiled blocks by physical page and word, entry heat, recompilations. */
  readonly blockPages: (PageCode | undefined)[];
  readonly blockHeat = new Int32Array(65536);
  readonly blockHeatCount = new Uint16Array(65536);
  /** Arrivals at an address before it becomes an entry (ENTRY_HOT_ARRIVALS); tests lower it to compile more. */
  blockHot = ENTRY_HOT_ARRIVALS;
  /** Whether the block compiler keeps to the process's compile budget (blocks.ts); tests turn it off to compile everything hot. */
  compileBudget = true;
  /** icount when the budget last counted this machine's steps, and before which it is not asked again. */
  budgetMark = 0;
  budgetRetry = 0;
  readonly recompiles = new Map<number, number>();
  /** Blocks compiled into blockPages since the code cache last started afresh (MAX_LIVE_BLOCKS). */
  liveBlocks = 0;
  /** The cap on liveBlocks (a test lowers it). */
  maxLiveBlocks = MAX_LIVE_BLOCKS;

  // VMX
  vmcs = -1;
  readonly vmIds = new Map<number, number>();
  readonly vmStats = new Map<number, VmStats>();
  exitCtls = 0;
  excBitmap = 0;
  eptp = 0;
  preemptAt = Infinity;
  entryIcount = 0;

  constructor(memBytes: number, tlbEntries: number) {
    this.mem = new PhysicalMemory(memBytes);
    this.m8 = this.mem.bytes;
    this.m32 = this.mem.words;
    this.memSize = memBytes;
    this.dirty = this.mem.dirty;
    this.tlb = new Tlb(tlbEntries);
    this.console = new Console();
    this.events = new TransitionLog();
    this.bp = new Uint32Array(Math.ceil(memBytes / 128));
    this.bpPage = new Uint16Array(memBytes >>> 12);
    this.blockPages = new Array<PageCode | undefined>(memBytes >>> 12).fill(undefined);
  }
}
