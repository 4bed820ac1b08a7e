/**
 * Software interrupts and `iret` inside compiled regions (blockgen.ts). Their common case — root
 * mode, the gate and the five-word frame each on one page already in the TLB — is done on the
 * region's locals, as traps.ts quickDeliver() and iret() do it: the registers stay in locals, and
 * when the next instruction (the handler, or where iret returns) is on the region's page the region
 * goes on. Any other case is the interpreter's own call (`generic`). Same frame words, TLB hit
 * counts, shadow frames, cycle counts, transition events and event stops as the interpreter: the
 * differential tests hold it. The kernel stack page and the IVT page found in the TLB stay in
 * locals across the ring changes (FORGET_PAGES): a system call's iret reads its frame, and the next
 * call its gate, without a TLB lookup (a system call loop 120 -> 133 MIPS).
 */
import { Cr0, Status } from './isa/registers';
import { Gate } from './isa/abi';
import { EventKind } from './events';
import { EventSites, pushSource as eventSource } from './eventSource';
import { TlbPerm, tlbSlotSource } from './tlb';
import { FrameKind, popTrapSource, pushSource } from './shadow';
import { cyclesSource, ringChangeSource } from './cpu';
import { countSource } from './costCount';
import { ACC_R, ACC_W } from './access';

/** The region's own code: `leave` its shared way out (the state written back there, once); `changed` its code check; `goOn` the statement that goes on in its blocks (`continue run` inside them); `sites` its event sites' locals. */
export interface RegionCode {
  leave: string;
  changed: string;
  goOn?: string;
  sites: EventSites;
}

/** The last-page caches of the CPL's own accesses (blockgen.ts translate): the page last read (`cR`, its host page `pR`) and last written (`cW`, `pW`), each a TLB hit with the CPL's permissions as they were. */
export const FORGET_CPL_PAGES = 'cR = 1; cW = 1;';
/**
 * Forget the region's last-page caches: the CPL's (above), and what this file's traps found in the
 * TLB: the kernel stack page a trap frame was last written to (`kV`, its host page `kP`: a TLB hit
 * for a supervisor write, so for a read too), the IVT page a gate was last read from (`gV`, `gP`),
 * and the permissions of the code page's entry a transition last went on through (`xP`, 0: not
 * looked at; its slot `xI`). Whenever the TLB or the tag may have changed: a walk, a call out.
 */
export const FORGET_PAGES = `${FORGET_CPL_PAGES} kV = 1; gV = 1; xP = 0;`;
/** The access rights of the CPL read again. */
const NEEDS = 'nR = cpu.needR; nW = cpu.needW;';
/**
 * After a walk that filled TLB slot `i` and nothing else (blockgen.ts translate): what this file's
 * traps found there is forgotten (their slots `kS`, `gS`, `xI`). A walk that finds a PTE not
 * present fills nothing, so a page fault keeps them for its delivery and iret (demand paging 123 ->
 * 131 MIPS). The code page's slot is also the fetch cache's, whose loss ends the run anyway (`wk`).
 */
export const FORGET_SLOT = 'if (i === kS) kV = 1; if (i === gS) gV = 1; if (i === xI) xP = 0;';
/** The access rights of the CPL read again after a resume, and the last-page caches forgotten with them. */
export const RELOAD_NEEDS = `${NEEDS} ${FORGET_PAGES}`;
/** The same after a ring change the region made itself: the TLB is as it was, so the supervisor's pages stay (a system call's iret reads its frame through kV). */
const RELOAD_RING = `${NEEDS} ${FORGET_CPL_PAGES}`;

/** Steps a region runs in one call at most (`lim`, blockgen.ts regionSource, which says why). */
export const REGION_SLICE = 65_536;
/** The region's deadline (its `dl`): the machine's, or the end of the region's slice (`lim`). */
export const DEADLINE = 'Math.min(cpu.deadline, lim)';

/**
 * The region's flags. A subtraction or compare whose flags are needed keeps its operands in `fx`
 * and `fy` and sets `fk`, instead of computing them: a conditional jump then compares the operands
 * (flags.ts condSubSource), and most such flags are set again before anything else reads them.
 * Anything else that reads the flags (the write-back, a trap frame, rdsr) reads this.
 */
export const REGION_FLAGS = '(fk ? subFlags(fx, fy, (fx - fy) | 0) : fl)';

const VM = Status.VM;
/** The TLB slot of `key` (tlb.ts tlbSlot), over the region's `mask`. */
const slot = tlbSlotSource;
/**
 * `pa` = the host address of `va` (paging on) through the page kept in the locals `k`V/`k`P (FORGET_PAGES),
 * else through its TLB entry when the entry's permissions `p` pass `ok`; given `keep`, that page is then kept
 * (with its slot, `k`S).
 */
const keptHit = (va: string, pa: string, k: 'k' | 'g', ok: (p: string) => string, keep: boolean) =>
  `{ const vp = ${va} & -4096; if (vp === ${k}V) ${pa} = ${k}P | (${va} & 0xfff);
          else { const key = (${va} >>> 12) | tg; const i = ${slot('key')}; const p = tperm[i]; if (tkey[i] === key && ${ok('p')}) { ${keep ? `${k}V = vp; ${k}P = tpage[i]; ${k}S = i; ` : ''}${pa} = tpage[i] | (${va} & 0xfff); } } }`;
/** `pa` = a supervisor read's TLB hit for `va` (the gate's page, kept), or flat `va` inside memory (`room` bytes from it). */
const supRead = (va: string, pa: string, room: number) =>
  `if (pg) ${keptHit(va, pa, 'g', (p) => `(${p} & ${TlbPerm.R}) !== 0`, true)}
        else if (${va} >>> 0 <= msz - ${room}) ${pa} = ${va};`;

/**
 * Go on at `target` after a transition the region made itself, `steps` into the block: here when
 * the interpreter would fetch it now (before the deadline, no breakpoint), it is on this page and
 * executable at the new CPL (the interpreter's slow fetch — the CPL change dropped its fetch cache
 * — would be that TLB hit, counted so); else the state is written back and the interpreter goes on.
 * The page's TLB slot is the fetch cache's (cpu.fSlot: the region runs on the page it caches);
 * its entry is looked at once until the TLB may have changed (`xP`), and the new CPL's execute
 * rights are tested on the permissions kept (system calls 137 -> 145 MIPS).
 * Should the block there not fit before the deadline, the interpreter fetches through the cache
 * set here, which the count taken off fetchHits evens out (as after the region's own resume).
 */
function goOn(target: string, steps: number, c: RegionCode): string {
  return `ic += ${steps}; pc = ${target}; dl = ${DEADLINE};
      if (ic < dl && cpu.bpCount === 0 && (pc & -4093) === vb && !${c.changed}) {
        if (pg) { if (xP === 0) { const key = (vb >>> 12) | tg; const i = cpu.fSlot; if (i >= 0 && tkey[i] === key && tpage[i] === @PAGE@) { xI = i; xP = tperm[i]; } }
          const nX = cpu.needX;
          if ((xP & nX) === nX) { cpu.fSlot = xI; cpu.fPa = @PAGE@; cpu.fVa = vb; cpu.fBp = false; fva0 = vb; dh++; cpu.fetchHits--; ${c.goOn ?? 'continue run;'} } }
        else { cpu.fSlot = -1; cpu.fPa = vb; cpu.fVa = vb; cpu.fBp = false; fva0 = vb; cpu.fetchHits--; ${c.goOn ?? 'continue run;'} }
      }
      ${c.leave}`;
}

/**
 * `int vector` / `syscall` / `brk` at `pcA`, returning to `retA`; or, given `fault`, the exception
 * `vector` with error code `fault.err` and cr2 = `fault.cr2` raised by the instruction at pcA = retA
 * (no DPL check: its gate is read twice, not three times). The gate's and the frame's pages are TLB
 * hits, or walks that will succeed (looked at first without side effects: traps.ts lookAhead), made
 * in delivery's order, as traps.ts quickDeliver makes them: demand paging's faults fill the TLB
 * with ever new pages, and one in about thirty evicted the gate's or the stack's, whose delivery
 * then left the region for the interpreter's.
 */
export function trapSource(vector: number, pcA: string, retA: string, steps: number, generic: string, c: RegionCode, fault?: { err: string; cr2: string }): string {
  return `{ const gate = (cpu.ivt + ${vector * 8}) | 0; let gp = -1, fp = -1, gw = false, fw = false;
      if ((cpu.st & ${VM}) === 0 && cpu.quickTraps && (gate & 3) === 0 && (gate & 0xfff) <= 0xff8) { ${supRead('gate', 'gp', 8)}
        if (gp < 0 && pg) { gp = lookAhead(cpu, gate, false); gw = gp >= 0; } }
      const gf = gp >= 0 ? m32[(gp >>> 2) + 1] : 0, top = cpl > 0 ? cpu.ksp : r15;
      if ((gf & ${Gate.PRESENT | Gate.RING1}) === ${Gate.PRESENT}${fault ? '' : ` && ((gf >>> ${Gate.DPL_SHIFT}) & 3) >= cpl`} && (top & 3) === 0 && ((top - 20) & -4096) === ((top - 4) & -4096)) {
        const va = (top - 4) | 0;
        // A supervisor write: the page kept is then good for iret's read too. A walk of the gate's
        // page into the frame's TLB slot would take that hit away: the frame is walked too.
        if (pg) { ${keptHit('va', 'fp', 'k', (p) => `(${p} & ${TlbPerm.EW | TlbPerm.D}) === ${TlbPerm.EW | TlbPerm.D} && ((cpu.cr0 & ${Cr0.WP}) === 0 || (${p} & ${TlbPerm.W}) !== 0)`, true)}
          if (fp < 0 || (gw && (${slot('((va >>> 12) | tg)')}) === (${slot('((gate >>> 12) | tg)')}))) { fp = lookAhead(cpu, va, true); fw = fp >= 0; } }
        else if (va >>> 0 < msz - 3 && (top - 20) >>> 0 < msz - 3) fp = va;
      }
      if (fp < 0) ${generic}
      if (gw || fw) { if (gw) gp = walk(cpu, gate, ${ACC_R}, false, false); if (fw) fp = walk(cpu, (top - 4) | 0, ${ACC_W}, false, false); ${FORGET_PAGES} }
      const handler = m32[gp >>> 2], sp0 = r15, from = cpl, q = fp >>> 2;${fault ? ` cpu.cr2 = ${fault.cr2};` : ''}
      m32[q] = sp0; m32[q - 1] = (cpu.st & ${~VM}) | ${REGION_FLAGS}; m32[q - 2] = ${retA}; m32[q - 3] = ${vector}; m32[q - 4] = ${fault ? fault.err : 0};
      cpu.noteWrite(fp);
      // Every access a hit but the walks' misses (the walks counted those).
      if (pg) dh += ${fault ? 7 : 8} - (gw ? 1 : 0) - (fw ? 1 : 0);
      r15 = (top - 20) | 0;
      ${pushSource(FrameKind.Trap, retA, 'r15', String(vector), 'from')}
      cpu.st &= ${~(Status.CPL_MASK | Status.IF)};
      // The fetches so far are folded into the TLB hits with the CPL change, as the interpreter's are.
      ${ringChangeSource('0', `ic + ${steps} - ic0`)} ic0 = ic + ${steps}; cpl = 0; ${RELOAD_RING}
      ${countSource.trap}
      cpu.icount = ic + ${steps};
      ${eventSource('cpu.events', [`ic + ${steps}`, cyclesSource(`ic + ${steps}`), `${EventKind.Trap}`, 'from', '0', '0', '0', `${vector}`, vector === 0x80 ? 'r0' : '-1', '-1', pcA, 'handler', 'sp0', fault ? fault.err : '0'], c.sites)}
      if ((cpu.eventStopMask & ${1 << EventKind.Trap}) !== 0) cpu.requestStop('event');
      ${goOn('handler', steps, c)} }`;
}

/**
 * `iret` at `pcA` (the next instruction at `nextA`): an iret that leaves pc where it was goes on after
 * it. The frame's page is a TLB hit, or a walk that will succeed (traps.ts iret's one translation).
 */
export function iretSource(pcA: string, nextA: string, steps: number, generic: string, c: RegionCode): string {
  return `{ const sp0 = r15; let fp = -1, fw = false;
      if ((cpu.st & ${VM}) === 0 && cpl === 0 && (sp0 & 3) === 0 && (sp0 & 0xfff) <= 0xfec) {
        if (pg) { ${keptHit('sp0', 'fp', 'k', (p) => `(${p} & nR) === nR`, false)}
          if (fp < 0) { fp = lookAhead(cpu, sp0, false); fw = fp >= 0; } }
        else if (sp0 >>> 0 <= msz - 20) fp = sp0;
      }
      if (fp < 0) ${generic}
      if (fw) { fp = walk(cpu, sp0, ${ACC_R}, false, false); ${FORGET_PAGES} }
      const q = fp >>> 2, vec = m32[q + 1], to = m32[q + 2], status = m32[q + 3];
      r15 = m32[q + 4];
      // Every read a hit but the walk's miss.
      if (pg) dh += fw ? 4 : 5;
      lva = (sp0 + 16) | 0; lpa = fp + 16; la = true;
      fl = status & ${Status.ARITH}; fk = false;
      cpu.st = status & ${Status.IF | Status.CPL_MASK};
      ${popTrapSource()}
      cpl = (status >>> ${Status.CPL_SHIFT}) & 3; ${ringChangeSource('cpl', `ic + ${steps} - ic0`)} ic0 = ic + ${steps}; ${RELOAD_RING}
      if (cpu.pending !== 0) cpu.reschedule();
      ${countSource.iret}
      cpu.icount = ic + ${steps};
      ${eventSource('cpu.events', [`ic + ${steps}`, cyclesSource(`ic + ${steps}`), `${EventKind.Iret}`, '0', 'cpl', '0', '0', 'vec', '-1', '-1', pcA, 'to', 'sp0', '0'], c.sites)}
      if ((cpu.eventStopMask & ${1 << EventKind.Iret}) !== 0) cpu.requestStop('event');
      ${goOn(`(to === ${pcA} ? ${nextA} : to)`, steps, c)} }`;
}
