/**
 * The block compiler's code generator. A region is the compiled code of one
 * physical page: one straight-line block per entry point that has been hot
 * (a jump target, a return address, a handler), all in one JavaScript
 * function that keeps the registers and flags in locals, translates data
 * addresses with an inline TLB lookup (and a last-page cache in locals), and
 * goes from one block to the next
 * through a switch on the page offset, without leaving the function: calls,
 * returns and loops within the page chain directly. The common case of a
 * software interrupt, `iret`, a TLB miss and a page fault is done on the
 * region's locals (blocktrap.ts, mmu.ts quickWalkSource); anything else leaves
 * the blocks through the region's one exit, which writes the state back and
 * makes the interpreter's own call. The
 * region then goes on if the interpreter's next fetch lands on its page again
 * (a system call or page fault handler and its caller on one page run in one call).
 * A block runs on through a direct call or jump to its own page and through the ret
 * back from a call it followed (blockdecode.ts); such a call's shadow frame is pushed
 * only if the block is left before its ret.
 *
 * It never changes what the machine does (a differential test holds it to
 * the interpreter):
 * - a block runs only when all of its instructions fit before the next
 *   service deadline, so timers, interrupts, the preemption timer and step
 *   budgets land on the same step;
 * - only on the cached fetch page, never on a page holding a breakpoint or
 *   while a data breakpoint is set (after a trap: only while no breakpoint is
 *   set at all, and the next fetch is the interpreter's own);
 * - anything but a TLB hit (a miss, a fault, an unaligned access, a division
 *   by zero) writes the state back and finishes that instruction exactly as
 *   the interpreter would (same calls);
 * - the region's words are compared with memory at every entry and after
 *   anything that may have written memory behind its back (a page walk's A/D
 *   bits, a trap frame), and a store into its own page leaves it, so
 *   rewritten code never runs stale (after a walk or a trap, only if the machine wrote into a
 *   page holding compiled code meanwhile: cpu.codeWrites);
 * - flags an instruction computes are skipped only when a later instruction
 *   of the same straight run overwrites them before anything can observe them.
 */
import { Op } from './isa/opcodes';
import { Insn, isJccI, isJccR, mayLeave, RI, setsFlags, terminal } from './blockdecode';
import { Frame, frameLocals, pendingFrames, popPending } from './blockframes';
import type { Region } from './blockcache';
import { Vector } from './isa/abi';
import { tlbSlotSource } from './tlb';
import { Status, SysReg } from './isa/registers';
import { addFlags, condSource, condSubSource, mulFlags, shiftFlags, subFlags, zn } from './flags';
import { breakpoint, exception, iret, lookAhead, softwareInterrupt } from './traps';
import { pageFault, quickWalkSource, raiseWalkFault, walk, walkPageFault } from './mmu';
import { slowLoad, slowPop, slowPush, slowStore } from './blockslow';
import { popCallsSource, pushCallSource, SHADOW_LOCALS } from './shadow';
import type { EventSites } from './eventSource';
import { DEADLINE, REGION_SLICE, FORGET_CPL_PAGES, FORGET_PAGES, FORGET_SLOT, iretSource, RegionCode, REGION_FLAGS, RELOAD_NEEDS, trapSource } from './blocktrap';

/** A conditional jump's test on the region's flags (REGION_FLAGS): the compare of a subtraction's operands, or the flags. */
const regionCond = (op: number) => `(fk ? ${condSubSource(op, 'fx', 'fy')} : ${condSource(op)})`;

/** Source of one register operation: `fl` (or the lazy `fk`, `fx`, `fy`) set only when `flags`. */
function alu(i: Insn, flags: boolean): string {
  const A = `r${i.a}`;
  const Y = RI[i.op] ? `${i.imm | 0}` : `r${i.b}`;
  const f = (e: string) => (flags ? ` fl = ${e}; fk = false;` : '');
  switch (i.op) {
    case Op.MOV_RR: case Op.MOV_RI: return `${A} = ${Y};`;
    case Op.ADD_RR: case Op.ADD_RI: return `{ const x = ${A}, y = ${Y}, s = (x + y) | 0; ${A} = s;${f('addFlags(x, y, s)')} }`;
    case Op.SUB_RR: case Op.SUB_RI: return `{ const x = ${A}, y = ${Y}, s = (x - y) | 0; ${A} = s;${flags ? ' fx = x; fy = y; fk = true;' : ''} }`;
    case Op.CMP_RR: case Op.CMP_RI: return flags ? `fx = ${A}; fy = ${Y}; fk = true;` : '';
    case Op.AND_RR: case Op.AND_RI: return `${A} = ${A} & ${Y};${f(`zn(${A})`)}`;
    case Op.OR_RR: case Op.OR_RI: return `${A} = ${A} | ${Y};${f(`zn(${A})`)}`;
    case Op.XOR_RR: case Op.XOR_RI: return `${A} = ${A} ^ ${Y};${f(`zn(${A})`)}`;
    case Op.TEST_RR: case Op.TEST_RI: return flags ? `fl = zn(${A} & ${Y}); fk = false;` : '';
    case Op.SHL_RR: case Op.SHL_RI: return `{ const n = ${Y} & 31, x = ${A}, s = x << n; ${A} = s;${f('shiftFlags(s, n ? (x >>> (32 - n)) & 1 : 0)')} }`;
    case Op.SHR_RR: case Op.SHR_RI: return `{ const n = ${Y} & 31, x = ${A}, s = (x >>> n) | 0; ${A} = s;${f('shiftFlags(s, n ? (x >>> (n - 1)) & 1 : 0)')} }`;
    case Op.SAR_RR: case Op.SAR_RI: return `{ const n = ${Y} & 31, x = ${A}, s = x >> n; ${A} = s;${f('shiftFlags(s, n ? (x >> (n - 1)) & 1 : 0)')} }`;
    case Op.MUL_RR: case Op.MUL_RI: return `{ const x = ${A}, y = ${Y}, s = Math.imul(x, y); ${A} = s;${f('mulFlags(x, y, s)')} }`;
    case Op.NEG: return `{ const x = ${A}, s = -x | 0; ${A} = s;${f('zn(s) | (x !== 0 ? 4 : 0) | (x === -0x80000000 ? 8 : 0)')} }`;
    case Op.NOT: return `${A} = ~${A};${f(`zn(${A})`)}`;
  }
  throw new Error(`not an ALU op ${i.op}`);
}

/**
 * The inline translation of `va` (a local) into `pa` for a data access: a TLB hit, or on a miss the
 * interpreter's page walk, called without writing the state back (a fault it finds is raised after
 * the write-back, `fault`). Leaves pa = -1 when the slow path must run (unaligned, flat and out of
 * memory), and sets `wk` when the walk took the fetch page's TLB entry or wrote A/D bits into this
 * region's code: the instruction then completes and the region is left. A miss forgets the CPL's
 * last-page caches; the pages the traps keep (blocktrap.ts) only when the walk may have filled
 * their slots.
 */
function translate(write: boolean, aligned: boolean, fault: string, pageFault: string): string {
  const need = write ? 'nW' : 'nR';
  const [c, p] = write ? ['cW', 'pW'] : ['cR', 'pR'];
  const check = aligned ? '(va & 3) === 0 && ' : '';
  return `let pa = -1;
      if (pg) { if (${check}true) { const vp = va & -4096; if (vp === ${c}) { pa = ${p} | (va & 0xfff); dh++; }
        else { const key = (va >>> 12) | tg; const i = ${tlbSlotSource('key')}; if (tkey[i] === key && (tperm[i] & ${need}) === ${need}) { ${c} = vp; ${p} = tpage[i]; pa = ${p} | (va & 0xfff); dh++; }
        else { let pe = -1; ${FORGET_CPL_PAGES} ${quickWalkSource('va', write)}
          if (pa < 0) { if (pe >= 0) ${pageFault} ${FORGET_PAGES} pa = walk(cpu, va, ${write ? 1 : 0}, cpl === 3, false); if (pa < 0) ${fault} } else { ${FORGET_SLOT} } wk = cpu.fVa !== fva0 || ${CHANGED}; } } } }
      else if (${check}va >>> 0 < msz) pa = va;`;
}

/** A system register's field in the cpu (rdsr of anything but status and cr3). */
const SYSREG_FIELD: Record<number, string> = { [SysReg.CR0]: 'cr0', [SysReg.CR2]: 'cr2', [SysReg.IVT]: 'ivt', [SysReg.KSP]: 'ksp', [SysReg.KSP1]: 'ksp1' };

/** Why a region's blocks were left (its `xc`): what its exit does after writing the state back. */
const enum Exit {
  /** Nothing: the interpreter goes on from pc. */
  NONE = 0,
  /** The inline walk found a fault for address xa: raised now. */
  WALK_FAULT = 1,
  /** Exception xa (no error code). */
  EXCEPTION = 2,
  /** Software interrupt xa the inline delivery left to the interpreter. */
  INT = 3,
  /** iret at xa (next instruction xb) left to the interpreter. */
  IRET = 4,
  /** The inline walk found a PTE that is not present for address xa: #PF with error code xb. */
  PAGE_FAULT = 5,
  /** `brk` the inline delivery left to the interpreter (in a VM it may exit instead: traps.ts breakpoint). */
  BRK = 6,
  /** A slow path wrote the state back and delivered a fault itself. */
  SYNCED = -1,
}

/** Whether the region's words changed, compared only if the machine wrote into code pages since they were last found unchanged (`cw`). */
const CHANGED = '(cpu.codeWrites !== cw && (same(m32) ? ((cw = cpu.codeWrites), false) : true))';
/** The same, compared whatever codeWrites says (after an interpreter's store). */
const CHANGED_ALWAYS = '(same(m32) ? ((cw = cpu.codeWrites), false) : true)';

/**
 * After a walk that took the fetch page's TLB entry (the state written back): the interpreter's
 * slow fetch of `pcExpr` (a step if it faults), then on only if it found this page again. As in
 * the region's resume, the fetch is counted by fetchPa, not as a fetch-cache hit. A misaligned pc
 * (a ret or jump through a register) is left to the interpreter, which raises #UD without
 * translating it: a fetch would walk its page (a miss, an A bit in the guest's table).
 */
const refetch = (pcExpr: string) => `if (cpu.fVa === fva0 || (${pcExpr} & 3) !== 0 || cpu.icount >= cpu.deadline || cpu.bpCount !== 0 || ${CHANGED}) return 0;
      cpu.icount++; const fp = cpu.fetchPa(${pcExpr}); if (fp < 0) return 0; cpu.icount--; cpu.fetchHits--;
      if ((fp & -4096) !== @PAGE@ || ${CHANGED}) return 0;
      fva0 = cpu.fVa;`;

/** The source of the region of `page` with these entries (page offsets, each decoding to at least one instruction). */
function regionSource(m32: Int32Array, page: number, blocks: Insn[][], offs: number[], faults: boolean): string {
  // r0 always: a system call's event reads it.
  const regs = new Set<number>([0, 15]);
  const covered = new Set<number>();
  for (let e = 0; e < blocks.length; e++) {
    for (const i of blocks[e]) {
      regs.add(i.a);
      regs.add(i.b);
      for (let k = 0; k < i.size; k += 4) covered.add((page + offs[e] + i.off + k) >>> 2);
    }
  }
  const rs = [...regs].sort((x, y) => x - y);
  const wb = rs.map((r) => `r[${r}] = r${r};`).join(' ');
  const reload = rs.map((r) => `r${r} = r[${r}];`).join(' ');
  // The region's own words, compared at entry and after anything that may have written memory.
  const same = [...covered].sort((x, y) => x - y).map((j) => `m32[${j}] === ${m32[j]}`).join(' && ');
  // Everything the interpreter keeps in the cpu, as it stands `k` steps into the current block, with pc = `pcExpr`.
  const sync = (k: number, pcExpr: string) =>
    `${wb} cpu.fl = ${REGION_FLAGS}; sh.depth = sk; cpu.pc = ${pcExpr}; cpu.icount = ic + ${k}; cpu.fetchHits += ic + ${k} - ic0; if (dh !== 0) cpu.stats.hits += dh; if (la) { cpu.lastDataVa = lva; cpu.lastDataPa = lpa; cpu.lastDataTag = cpu.tag; }`;
  const sites: EventSites = { decls: [] };
  const seen = { walks: false };
  const cases = blocks.map((insns, e) => blockSource(insns, offs[e], sync, sites, seen));
  const qs = Array.from({ length: frameLocals(blocks) }, (_, d) => `q${d} = 0`);
  // A page fault the inline walk found: delivered at the exit on the locals when its gate and frame
  // are TLB hits (as the interpreter's quickDeliver would), then on in the blocks at the handler as
  // after a system call. Only in a region compiled under paging in root mode, where faults happen:
  // its code made every region's blocks slower, faults or not (flat insertion sort by 13%), and
  // only where a block walks (a memory access): the counting loop with paging on ran at two thirds
  // of its speed flat with the delivery's code beside it, and no exit of its could ever take it.
  const pageFault = faults && seen.walks
    ? `if (xc === ${Exit.WALK_FAULT} || xc === ${Exit.PAGE_FAULT}) { const err = xc === ${Exit.PAGE_FAULT} ? xb : walkPageFault(); if (err >= 0) pf: ${trapSource(Vector.PAGE_FAULT, 'pc', 'pc', 0, 'break pf;', { leave: `${sync(0, 'pc')} xc = ${Exit.SYNCED}; break pf;`, changed: CHANGED, goOn: `xc = ${Exit.NONE}; continue;`, sites }, { err: 'err', cr2: 'xa' })} }`
    : '';
  return `function same(m32) { return ${same}; }
return function region(cpu, pc0) {
  const r = cpu.r, m32 = cpu.m32, m8 = cpu.m8, dirty = cpu.dirty, t = cpu.tlb, tkey = t.key, tpage = t.page, tperm = t.perm, mask = t.mask, tsh = Math.clz32(mask), msz = cpu.memSize;
  if (!same(m32)) return 2;
  // codeWrites when the region's words were last found unchanged: compared again only once it moves.
  let cw = cpu.codeWrites;
  // The region returns after REGION_SLICE steps at most (dl, below the machine's deadline): V8 runs a
  // function's optimized code from its next call, and a region that never returned would run its
  // slow code until V8 had compiled it a second time, for the loop it is in (on-stack replacement).
  const ic00 = cpu.icount, lim = ic00 + ${REGION_SLICE};
  let pg = cpu.paging, tg = cpu.tagKey, nR = cpu.needR, nW = cpu.needW, sh = cpu.shadow, sd = sh.data, sk = sh.depth, cpl = cpu.cpl, dl = ${DEADLINE}, fva0 = cpu.fVa;
  // Whether no block has started in this call (a block that does not fit before dl then leaves it to the interpreter).
  let first = true;
  let cR = 1, pR = 0, cW = 1, pW = 0, kV = 1, kP = 0, kS = -1, gV = 1, gP = 0, gS = -1, xI = -1, xP = 0${[...qs, ...sites.decls].map((q) => `, ${q}`).join('')};
  let ic0 = ic00, ic = ic00, fl = cpu.fl, fk = false, fx = 0, fy = 0, dh = 0, lva = 0, lpa = 0, la = false, npc = 0, pc = pc0, vb = pc0 & -4096, wk = false, xc = ${Exit.NONE}, xa = 0, xb = 0;
  ${rs.map((x) => `let r${x} = r[${x}];`).join(' ')}
  for (;;) {
    run: for (;;) {
      switch ((pc - vb) | 0) {
        ${cases.join('\n        ')}
      }
      break run;
    }
    ${pageFault}
    // The one way out of the blocks (xc says why; pc and ic are where the interpreter takes over): the
    // state written back here, once, rather than at every place that can leave.
    if (xc !== ${Exit.SYNCED}) {
      ${sync(0, 'pc')}
      switch (xc) {
        case ${Exit.NONE}: return 0;
        case ${Exit.WALK_FAULT}: raiseWalkFault(cpu, xa); break;
        case ${Exit.PAGE_FAULT}: pageFault(cpu, xa, xb); break;
        case ${Exit.EXCEPTION}: exception(cpu, xa, 0); break;
        case ${Exit.INT}: softwareInterrupt(cpu, xa, 4); break;
        case ${Exit.BRK}: breakpoint(cpu, 4); break;
        case ${Exit.IRET}: if (cpl !== 0) exception(cpu, ${Vector.GP}, 0); else if (iret(cpu) && cpu.pc === xa) cpu.pc = xb; break;
      }
    }
    xc = ${Exit.NONE};
    // After a trap, a fault or iret (the cpu holds the whole state). In root mode, with the tag the
    // region ran under, only sp, the flags and the ring can have changed: on in the region when the
    // interpreter's next fetch (it would make one now) finds this page and nothing stands in the way.
    // A VM exit (root now, another tag) takes the full reload below (it also ends the slice today).
    if ((cpu.st & ${Status.VM}) === 0 && tg === cpu.tagKey) {
      pc = cpu.pc;
      if (cpu.icount >= cpu.deadline || cpu.bpCount !== 0 || (pc & -4093) !== vb || ${CHANGED}) return 0;
      // The interpreter's slow fetch (the ring change dropped its fetch cache): a step if it faults; counted by fetchPa, not as a fetch-cache hit.
      cpu.icount++; const fp = cpu.fetchPa(pc); if (fp < 0) return 0; cpu.icount--; cpu.fetchHits--;
      if ((fp & -4096) !== ${page} || ${CHANGED}) return 0;
      fva0 = cpu.fVa; ic0 = ic = cpu.icount; dh = 0; la = false;
      r15 = r[15]; fl = cpu.fl; fk = false; cpl = cpu.cpl; ${RELOAD_NEEDS} dl = ${DEADLINE}; ${SHADOW_LOCALS}
      continue;
    }
    // Non-root (a VM exit reloads every register): the interpreter's slow fetch, then everything reloaded.
    if (cpu.icount >= cpu.deadline || cpu.bpCount !== 0 || (cpu.pc & 3) !== 0) return 0;
    pc = cpu.pc;
    // The interpreter's slow fetch: a fetch fault counts as a step; the fetch is not a fetch-cache hit.
    cpu.icount++;
    const fp = cpu.fetchPa(pc);
    if (fp < 0) return 0;
    cpu.icount--;
    cpu.fetchHits--;
    if ((fp & -4096) !== ${page} || ${CHANGED}) return 0;
    pg = cpu.paging; tg = cpu.tagKey; ${RELOAD_NEEDS} sh = cpu.shadow; ${SHADOW_LOCALS} cpl = cpu.cpl; dl = ${DEADLINE}; fva0 = cpu.fVa;
    ic0 = ic = cpu.icount; fl = cpu.fl; fk = false; dh = 0; la = false; vb = pc & -4096;
    ${reload}
  }
};`;
}

/** One entry's block as a case of the region's switch; `seen.walks` set if it has an inline walk (a fault exit). */
function blockSource(insns: Insn[], base: number, sync: (k: number, pcExpr: string) => string, sites: EventSites, seen: { walks: boolean }): string {
  const code: RegionCode = { leave: 'break run;', changed: CHANGED, sites };
  const n = insns.length;
  // Flag liveness, backwards: a flag result is needed if a jump reads it or the block may be left before it is overwritten.
  const flagsNeeded = new Array<boolean>(n).fill(true);
  let live = true;
  for (let k = n - 1; k >= 0; k--) {
    const op = insns[k].op;
    if (setsFlags(op)) {
      flagsNeeded[k] = live;
      live = false;
    }
    if (mayLeave(op) || isJccI(op) || isJccR(op)) live = true;
  }
  const last = insns[n - 1];
  const end = base + last.off + last.size;
  const at = (off: number) => `((vb + ${off}) | 0)`;
  const body: string[] = [];
  const pend = pendingFrames(insns, base);
  // Frames still pending at the last instruction are pushed before it: it runs with the stack as the interpreter has it.
  // Whether instruction k may jump to the block's own start (a page offset; the page is compared where it runs), with no frame pending.
  const loopsAt = (k: number) => (insns[k].op === Op.JMP_I || isJccI(insns[k].op)) && (insns[k].imm & 0xfff) === base && (k === n - 1 || pend[k].length === 0);
  const pushAll = (fs: readonly Frame[]) => fs.map((f) => pushCallSource(at(f.ret), f.q, `${f.target}`, 'cpl')).join(' ');
  insns.forEach((i, k) => {
    if (k === n - 1 && pend[k].length !== 0) body.push(pushAll(pend[k]));
    const before = k === n - 1 ? [] : pend[k];
    const after = k === n - 1 ? [] : pend[k + 1];
    // The frames of followed calls pending before / after this instruction, pushed before any way out of the block.
    const pushBefore = pushAll(before);
    const pushAfter = pushAll(after);
    const deferred = before.length !== 0 || after.length !== 0;
    const pc = at(base + i.off);
    const next = at(base + i.off + i.size);
    const steps = k + 1; // steps counted when this instruction completes or faults
    // A trap, a fault or iret: out through the region's exit, which writes the state back and makes
    // the interpreter's call `x` (with `a`, `b`), then goes on in the region where it can.
    const trap = (x: Exit, a: string, b = '0') => `{ ${pushBefore} ic += ${steps}; pc = ${pc}; xc = ${x}; xa = ${a};${b === '0' ? '' : ` xb = ${b};`} break run; }`;
    // A slow path that completed the instruction: go on in the block if the fetch page and the region's words are unchanged.
    // With frames deferred the block is left after it (the frames are then the interpreter's).
    const slow = (call: string, reloadOne: string) =>
      deferred
        ? `{ ${pushBefore} ${sync(steps, pc)} if (!${call}) { xc = ${Exit.SYNCED}; break run; } return 0; }`
        : `{ ${sync(steps, pc)} if (!${call}) { xc = ${Exit.SYNCED}; break run; } ${reloadOne} ${SHADOW_LOCALS} if (cpu.fVa !== fva0 || ${DEADLINE} !== dl || ${CHANGED_ALWAYS}) return 0; ic0 = ic + ${steps}; dh = 0; la = false; ${FORGET_PAGES} }`;
    // The inline walk's fault, and the way out after a walk that disturbed the fetch page or this code.
    const walkFault = trap(Exit.WALK_FAULT, 'va');
    const notPresent = trap(Exit.PAGE_FAULT, 'va', 'pe');
    const translated = (store: boolean, word: boolean) => {
      seen.walks = true;
      return translate(store, word, walkFault, notPresent);
    };
    // Done with this instruction, out through the region's exit (a store into the region's own page).
    const out = (pcExpr: string) => `{ ${pushAfter} ic += ${steps}; pc = ${pcExpr}; break run; }`;
    // A walk that took the fetch page's TLB entry: the interpreter's next fetch is a slow one (a
    // walk of its own); done here, the block goes on when it finds this page again.
    const walked = (pcExpr: string) => (deferred ? `if (wk) ${out(pcExpr)}` : `if (wk) { ${sync(steps, pcExpr)} ${refetch(pcExpr)} wk = false; ic0 = ic + ${steps}; dh = 0; la = false; ${FORGET_PAGES} }`);
    const A = `r${i.a}`;
    const addr = (form: number) => (form === 0 ? `r${i.b}` : form === 1 ? `(r${i.b} + ${i.imm | 0}) | 0` : `${i.imm | 0}`);
    const op = i.op;
    if (op === Op.MOV_RR || op === Op.MOV_RI || (op >= Op.ADD_RR && op <= Op.MUL_RI) || op === Op.NEG || op === Op.NOT || (op >= Op.CMP_RR && op <= Op.TEST_RI)) {
      body.push(alu(i, flagsNeeded[k]));
    } else if (op === Op.NOP) {
      // nothing
    } else if (op >= Op.DIV_RR && op <= Op.MOD_RI) {
      const y = RI[op] ? `${i.imm >>> 0}` : `(r${i.b} >>> 0)`;
      const div = op <= Op.DIV_RI;
      body.push(`{ const y = ${y}; if (y === 0) ${trap(Exit.EXCEPTION, `${Vector.DIVIDE}`)} const x = ${A} >>> 0; const s = (${div ? 'Math.floor(x / y)' : 'x % y'}) | 0; ${A} = s;${flagsNeeded[k] ? ' fl = zn(s); fk = false;' : ''} }`);
    } else if (op >= Op.LD_MR && op <= Op.LDB_MA) {
      const word = op <= Op.LD_MA;
      const form = op - (word ? Op.LD_MR : Op.LDB_MR);
      body.push(`{ const va = ${addr(form)}; ${translated(false, word)}
      if (pa < 0) ${slow(`slowLoad(cpu, va, ${i.a}, ${word}, ${next})`, `${A} = r[${i.a}];`)}
      else { lva = va; lpa = pa; la = true; ${A} = ${word ? 'm32[pa >>> 2]' : 'm8[pa]'}; ${walked(next)} } }`);
    } else if (op >= Op.ST_MR && op <= Op.STB_MA) {
      const word = op <= Op.ST_MA;
      const form = op - (word ? Op.ST_MR : Op.STB_MR);
      body.push(`{ const va = ${addr(form)}; const v = ${A}; ${translated(true, word)}
      if (pa < 0) ${slow(`slowStore(cpu, va, v, ${word}, ${next})`, '')}
      else { lva = va; lpa = pa; la = true; ${word ? 'm32[pa >>> 2] = v' : 'm8[pa] = v'}; dirty[pa >>> 12] = 1;
      if ((pa & -4096) === @PAGE@) ${out(next)} ${walked(next)} } }`);
    } else if (op === Op.PUSH_R || op === Op.PUSH_I || op === Op.CALL_I || op === Op.CALL_R) {
      // push: sp moves only once the store succeeded; a call also records its shadow frame.
      const v = op === Op.PUSH_R ? A : op === Op.PUSH_I ? `${i.imm | 0}` : next;
      const call = op === Op.CALL_I || op === Op.CALL_R;
      // A followed call's frame waits in a local (pendingFrames).
      const frame = i.follow ? `${after[after.length - 1].q} = r15;` : pushCallSource(next, 'r15', `${i.imm | 0}`, 'cpl');
      const pushed = op === Op.CALL_I ? `${frame} npc = ${i.imm | 0};` : op === Op.CALL_R ? `${pushCallSource(next, 'r15', 't', 'cpl')} npc = t;` : '';
      body.push(`{ ${op === Op.CALL_R ? `const t = ${A}; ` : ''}const v = ${v}; const va = (r15 - 4) | 0; ${translated(true, true)}
      if (pa < 0) ${slow(`slowPush(cpu, va, v, ${op === Op.CALL_I ? 1 : op === Op.CALL_R ? 2 : 0}, ${op === Op.CALL_I ? i.imm | 0 : op === Op.CALL_R ? 't' : 0}, ${next})`, `r15 = r[15];${call ? ' npc = cpu.pc;' : ''}`)}
      else { lva = va; lpa = pa; la = true; m32[pa >>> 2] = v; dirty[pa >>> 12] = 1; r15 = va; ${pushed}
      if ((pa & -4096) === @PAGE@) ${out(call ? 'npc' : next)} ${walked(call ? 'npc' : next)} } }`);
    } else if (op === Op.POP || op === Op.RET) {
      body.push(`{ const va = r15; ${translated(false, true)}
      if (pa < 0) ${slow(`slowPop(cpu, va, ${op === Op.RET ? -1 : i.a}, ${next})`, `r15 = r[15];${op === Op.RET ? ' npc = cpu.pc;' : ` ${A} = r[${i.a}];`}`)}
      else { lva = va; lpa = pa; la = true; const v = m32[pa >>> 2]; r15 = (r15 + 4) | 0; ${op === Op.RET ? `npc = v; ${i.retTo === undefined ? popCallsSource('r15') : popPending(before, pushBefore, `{ ic += ${steps}; pc = npc; break run; }`)}` : `${A} = v;`} ${walked(op === Op.RET ? 'npc' : next)} } }`);
    } else if (op === Op.JMP_I) body.push(`npc = ${i.imm | 0};`);
    else if (op === Op.JMP_R) body.push(`npc = ${A};`);
    else if (isJccI(op) && k === n - 1) body.push(`npc = ${regionCond(op)} ? ${i.imm | 0} : ${next};`);
    else if (isJccR(op) && k === n - 1) body.push(`npc = ${regionCond(op)} ? ${A} : ${next};`);
    // Taken, a conditional jump leaves the block for whatever block starts at its target.
    else if (isJccI(op)) body.push(`if (${regionCond(op)}) { ${pushBefore} ic += ${steps}; ${loopsAt(k) ? `if (pc === ${i.imm | 0}) continue b${base}; ` : ''}pc = ${i.imm | 0}; continue run; }`);
    else if (isJccR(op)) body.push(`if (${regionCond(op)}) { ${pushBefore} ic += ${steps}; pc = ${A}; continue run; }`);
    else if (op === Op.INT && i.w >>> 16 > 255) body.push(trap(Exit.EXCEPTION, `${Vector.UNDEFINED}`));
    else if (op === Op.INT || op === Op.SYSCALL || op === Op.BRK) {
      const v = op === Op.INT ? i.w >>> 16 : op === Op.SYSCALL ? Vector.SYSCALL : Vector.BREAKPOINT;
      body.push(trapSource(v, pc, next, steps, op === Op.BRK ? trap(Exit.BRK, '0') : trap(Exit.INT, `${v}`), code));
    }
    // iret pops its frame; one that leaves pc where it was goes on after it, as the interpreter does.
    else if (op === Op.IRET) body.push(iretSource(pc, next, steps, trap(Exit.IRET, pc, next), code));
    else if (op === Op.RDSR) {
      const x = i.w >>> 16;
      if (x === SysReg.STATUS) body.push(`${A} = (cpu.st & ${~Status.VM}) | ${REGION_FLAGS};`);
      else body.push(`if (cpl !== 0) ${trap(Exit.EXCEPTION, `${Vector.GP}`)} ${A} = cpu.${SYSREG_FIELD[x]};`);
    } else throw new Error(`block compiler: unhandled op ${op}`);
    // A call or jump followed goes on here if its target is on this page; a ret, if it returned to the call's next instruction.
    if (i.follow) body.push(`if ((npc & -4096) !== vb) ${out('npc')}`);
    else if (i.retTo !== undefined) body.push(`if (npc !== ${at(base + i.retTo)}) ${out('npc')}`);
  });
  const jumps = terminal(last.op) || isJccI(last.op) || isJccR(last.op);
  // A jump back to the block's own start goes round its loop (b<base>) rather than through the
  // region's switch; pc, which no instruction of the block changes, still holds that start. Only a
  // block with such a jump has the loop: in the others it only cost time (fib, Ackermann 4% to 8%).
  const loops = insns.some((_, k) => loopsAt(k));
  return `case ${base}: ${loops ? `b${base}: for (;;) ` : ''}{
          if (ic + ${n} > dl) { if (first) return 1; break run; }
          first = false;
          ${body.join('\n          ')}
          ic += ${n};
          ${jumps ? `${loopsAt(n - 1) ? `if (npc === pc) continue b${base}; ` : ''}pc = npc;` : `pc = ${at(end)};`}
          continue run;
        }`;
}

/** The region's function for these blocks (decoded from `page` at the entries `offs`), and the length of its source; undefined if that is over `maxChars` (nothing made). */
export function buildRegion(m32: Int32Array, page: number, blocks: Insn[][], offs: number[], faults: boolean, maxChars = Infinity): { run: Region['run']; chars: number } | undefined {
  const src = regionSource(m32, page, blocks, offs, faults).replaceAll('@PAGE@', String(page));
  if (src.length > maxChars) return undefined;
  const make = new Function('addFlags', 'subFlags', 'zn', 'shiftFlags', 'mulFlags', 'exception', 'softwareInterrupt', 'breakpoint', 'iret', 'walk', 'raiseWalkFault', 'pageFault', 'walkPageFault', 'slowLoad', 'slowStore', 'slowPush', 'slowPop', 'lookAhead', src);
  const run = make(addFlags, subFlags, zn, shiftFlags, mulFlags, exception, softwareInterrupt, breakpoint, iret, walk, raiseWalkFault, pageFault, walkPageFault, slowLoad, slowStore, slowPush, slowPop, lookAhead) as Region['run'];
  return { run, chars: src.length };
}
