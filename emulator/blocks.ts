/**
 * The block compiler: straight-line guest code (register operations, loads,
 * stores, push/pop, calls, returns, jumps, software interrupts) from one
 * instruction to the next control transfer, within one page, compiled into a
 * JavaScript function that keeps the registers and flags in locals and
 * translates data addresses with an inline TLB lookup.
 *
 * It never changes what the machine does (a differential test holds it to
 * the interpreter):
 * - a block runs only when all of its instructions fit before the next
 *   service deadline, so timers, interrupts, the preemption timer and step
 *   budgets land on the same step;
 * - only on the cached fetch page, and never on a page holding a breakpoint
 *   or while a data breakpoint is set;
 * - anything but a TLB hit (a miss, a fault, an unaligned access, a division
 *   by zero) writes the state back and finishes that instruction exactly as
 *   the interpreter would (same calls), then leaves the block;
 * - its instruction words are compared with memory at every entry, and a
 *   store into its own page leaves it, so rewritten code never runs stale;
 * - flags an instruction computes are skipped only when a later instruction
 *   of the same straight run overwrites them before anything can observe them.
 */
import type { Cpu } from './cpu';
import { Op } from './isa/opcodes';
import { RESERVED } from './isa/codec';
import { WORDS_BY_OPCODE } from './isa/table';
import { Vector } from './isa/abi';
import { addFlags, condSource, mulFlags, shiftFlags, subFlags, zn } from './flags';
import { exception, softwareInterrupt } from './traps';

export interface Block {
  /** Physical address of the first instruction. */
  pa: number;
  /** Instructions in the block (the steps a run through it takes). */
  len: number;
  /** The block's words, verified against memory at each entry. */
  words: Int32Array;
  run: (cpu: Cpu, pc0: number) => void;
}

/** Blocks entered this many times are compiled. */
const HOT = 4;
const MAX_INSNS = 48;
/** Recompilations of one address (its code keeps changing) before it is left to the interpreter. */
const MAX_RECOMPILES = 8;
/** An address that cannot start a block. */
export const NO_BLOCK: Block = { pa: -1, len: 0, words: new Int32Array(0), run: () => undefined };

const RI = new Uint8Array(256);
for (const op of [
  Op.MOV_RI, Op.ADD_RI, Op.SUB_RI, Op.AND_RI, Op.OR_RI, Op.XOR_RI, Op.SHL_RI, Op.SHR_RI, Op.SAR_RI, Op.MUL_RI, Op.DIV_RI, Op.MOD_RI, Op.CMP_RI, Op.TEST_RI,
]) RI[op] = 1;

const isJccI = (op: number) => op >= Op.JZ_I && op <= Op.JAE_R && (op & 1) === 0;
const isJccR = (op: number) => op >= Op.JZ_I && op <= Op.JAE_R && (op & 1) === 1;

interface Insn {
  op: number;
  w: number;
  a: number;
  b: number;
  imm: number;
  /** Offset from the block start, and length in bytes. */
  off: number;
  size: number;
}

/** Kinds for flag liveness: sets flags / reads flags / may leave the block midway (slow path or fault). */
function setsFlags(op: number): boolean {
  return (op >= Op.ADD_RR && op <= Op.NOT) || (op >= Op.CMP_RR && op <= Op.TEST_RI);
}
function mayLeave(op: number): boolean {
  return (op >= Op.LD_MR && op <= Op.POP) || (op >= Op.DIV_RR && op <= Op.MOD_RI) || op >= Op.JMP_I;
}

function compilable(op: number): boolean {
  if (op === Op.MOV_RR || op === Op.MOV_RI) return true;
  if (op >= Op.LD_MR && op <= Op.POP) return true;
  if (op >= Op.ADD_RR && op <= Op.NOT) return true;
  if (op >= Op.CMP_RR && op <= Op.TEST_RI) return true;
  if (op >= Op.JMP_I && op <= Op.JAE_R) return true;
  return op === Op.CALL_I || op === Op.CALL_R || op === Op.RET || op === Op.INT || op === Op.SYSCALL || op === Op.BRK;
}
/** Instructions that end a block (a conditional jump does not: taken, it leaves the block; not taken, the block goes on). */
const terminal = (op: number) => op >= Op.JMP_I && !isJccI(op) && !isJccR(op);

/** Decode the block at physical `pa` (instruction-aligned), or [] when its first instruction cannot be compiled. */
function decode(m32: Int32Array, pa: number): Insn[] {
  const out: Insn[] = [];
  const pageEnd = (pa | 0xfff) + 1;
  let p = pa;
  while (p < pageEnd && out.length < MAX_INSNS) {
    const w = m32[p >>> 2];
    const op = w & 0xff;
    if ((w & RESERVED[op]) !== 0 || !compilable(op)) break;
    const size = WORDS_BY_OPCODE[op] === 2 ? 8 : 4;
    if (p + size > pageEnd) break; // the immediate is on the next page: the interpreter fetches it
    out.push({ op, w, a: (w >>> 8) & 15, b: (w >>> 12) & 15, imm: size === 8 ? m32[(p + 4) >>> 2] : 0, off: p - pa, size });
    p += size;
    if (terminal(op)) break;
  }
  return out;
}

/** Source of one register operation: `fl` set only when `flags`. */
function alu(i: Insn, flags: boolean): string {
  const A = `r${i.a}`;
  const Y = RI[i.op] ? `${i.imm | 0}` : `r${i.b}`;
  const f = (e: string) => (flags ? ` fl = ${e};` : '');
  switch (i.op) {
    case Op.MOV_RR: case Op.MOV_RI: return `${A} = ${Y};`;
    case Op.ADD_RR: case Op.ADD_RI: return `{ const x = ${A}, y = ${Y}, s = (x + y) | 0; ${A} = s;${f('addFlags(x, y, s)')} }`;
    case Op.SUB_RR: case Op.SUB_RI: return `{ const x = ${A}, y = ${Y}, s = (x - y) | 0; ${A} = s;${f('subFlags(x, y, s)')} }`;
    case Op.CMP_RR: case Op.CMP_RI: return flags ? `{ const x = ${A}, y = ${Y}; fl = subFlags(x, y, (x - y) | 0); }` : '';
    case Op.AND_RR: case Op.AND_RI: return `${A} = ${A} & ${Y};${f(`zn(${A})`)}`;
    case Op.OR_RR: case Op.OR_RI: return `${A} = ${A} | ${Y};${f(`zn(${A})`)}`;
    case Op.XOR_RR: case Op.XOR_RI: return `${A} = ${A} ^ ${Y};${f(`zn(${A})`)}`;
    case Op.TEST_RR: case Op.TEST_RI: return flags ? `fl = zn(${A} & ${Y});` : '';
    case Op.SHL_RR: case Op.SHL_RI: return `{ const n = ${Y} & 31, x = ${A}, s = x << n; ${A} = s;${f('shiftFlags(s, n ? (x >>> (32 - n)) & 1 : 0)')} }`;
    case Op.SHR_RR: case Op.SHR_RI: return `{ const n = ${Y} & 31, x = ${A}, s = (x >>> n) | 0; ${A} = s;${f('shiftFlags(s, n ? (x >>> (n - 1)) & 1 : 0)')} }`;
    case Op.SAR_RR: case Op.SAR_RI: return `{ const n = ${Y} & 31, x = ${A}, s = x >> n; ${A} = s;${f('shiftFlags(s, n ? (x >> (n - 1)) & 1 : 0)')} }`;
    case Op.MUL_RR: case Op.MUL_RI: return `{ const x = ${A}, y = ${Y}, s = Math.imul(x, y); ${A} = s;${f('mulFlags(x, y, s)')} }`;
    case Op.NEG: return `{ const x = ${A}, s = -x | 0; ${A} = s;${f('zn(s) | (x !== 0 ? 4 : 0) | (x === -0x80000000 ? 8 : 0)')} }`;
    case Op.NOT: return `${A} = ~${A};${f(`zn(${A})`)}`;
  }
  throw new Error(`not an ALU op ${i.op}`);
}

/** The inline translation of `va` (a local) into `pa` for a data access; leaves pa = -1 when the slow path must run. */
function translate(write: boolean, aligned: boolean): string {
  const need = write ? 'nW' : 'nR';
  const check = aligned ? '(va & 3) === 0 && ' : '';
  return `let pa = -1;
      if (pg) { if (${check}true) { const key = (va >>> 12) | tg; const i = (Math.imul(key, 0x9e3779b1) >>> 16) & mask; if (tkey[i] === key && (tperm[i] & ${need}) === ${need}) { pa = tpage[i] | (va & 0xfff); dh++; } } }
      else if (${check}va >>> 0 < msz) pa = va;`;
}

/**
 * Compile the block at physical `pa`, or return NO_BLOCK when its first
 * instruction is not one the compiler handles.
 */
export function compileBlock(m32: Int32Array, pa: number): Block {
  const insns = decode(m32, pa);
  if (insns.length === 0) return NO_BLOCK;
  const n = insns.length;
  const last = insns[n - 1];
  const end = last.off + last.size;
  const page = pa & -4096;

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

  const regs = new Set<number>([15]);
  for (const i of insns) {
    regs.add(i.a);
    regs.add(i.b);
  }
  const rs = [...regs].sort((x, y) => x - y);
  const wb = rs.map((r) => `r[${r}] = r${r};`).join(' ');
  // Everything the interpreter keeps in the cpu, as it stands `k` steps into this pass, with pc = `pcExpr`.
  const sync = (k: number | string, pcExpr: string) =>
    `${wb} cpu.fl = fl; cpu.pc = ${pcExpr}; cpu.icount = ic + ${k}; cpu.fetchHits += ic + ${k} - ic0; if (dh !== 0) cpu.stats.hits += dh; if (la) { cpu.lastDataVa = lva; cpu.lastDataPa = lpa; cpu.lastDataTag = cpu.tag; }`;
  const at = (off: number) => `((pc0 + ${off}) | 0)`;
  // The block's own words, compared after a slow path (a page walk may have set A/D bits in this very page).
  const same = `${Array.from({ length: end >>> 2 }, (_, j) => `m32[${(pa >>> 2) + j}] === ${m32[(pa >>> 2) + j]}`).join(' && ')}`;

  const body: string[] = [];
  insns.forEach((i, k) => {
    const pc = at(i.off);
    const next = at(i.off + i.size);
    const steps = k + 1; // steps counted when this instruction completes or faults
    const leave = (call: string) => `{ ${sync(steps, pc)} ${call} return; }`;
    // A slow path that completed the instruction: go on in the block if the fetch page and the block's words are unchanged.
    const slow = (call: string, reload: string) =>
      `{ ${sync(steps, pc)} if (!${call}) return; ${reload} if (cpu.fVa !== fva0 || !(${same})) return; ic0 = ic + ${steps}; dh = 0; la = false; }`;
    const A = `r${i.a}`;
    const addr = (form: number) => (form === 0 ? `r${i.b}` : form === 1 ? `(r${i.b} + ${i.imm | 0}) | 0` : `${i.imm | 0}`);
    const op = i.op;
    if (op === Op.MOV_RR || op === Op.MOV_RI || (op >= Op.ADD_RR && op <= Op.MUL_RI) || op === Op.NEG || op === Op.NOT || (op >= Op.CMP_RR && op <= Op.TEST_RI)) {
      body.push(alu(i, flagsNeeded[k]));
    } else if (op >= Op.DIV_RR && op <= Op.MOD_RI) {
      const y = RI[op] ? `${i.imm >>> 0}` : `(r${i.b} >>> 0)`;
      const div = op <= Op.DIV_RI;
      body.push(`{ const y = ${y}; if (y === 0) ${leave('exception(cpu, DIVIDE, 0);')} const x = ${A} >>> 0; const s = (${div ? 'Math.floor(x / y)' : 'x % y'}) | 0; ${A} = s;${flagsNeeded[k] ? ' fl = zn(s);' : ''} }`);
    } else if (op >= Op.LD_MR && op <= Op.LDB_MA) {
      const word = op <= Op.LD_MA;
      const form = op - (word ? Op.LD_MR : Op.LDB_MR);
      body.push(`{ const va = ${addr(form)}; ${translate(false, word)}
      if (pa < 0) ${slow(`slowLoad(cpu, va, ${i.a}, ${word}, ${next})`, `${A} = r[${i.a}];`)}
      else { lva = va; lpa = pa; la = true; ${A} = ${word ? 'm32[pa >>> 2]' : 'm8[pa]'}; } }`);
    } else if (op >= Op.ST_MR && op <= Op.STB_MA) {
      const word = op <= Op.ST_MA;
      const form = op - (word ? Op.ST_MR : Op.STB_MR);
      body.push(`{ const va = ${addr(form)}; const v = ${A}; ${translate(true, word)}
      if (pa < 0) ${slow(`slowStore(cpu, va, v, ${word}, ${next})`, '')}
      else { lva = va; lpa = pa; la = true; ${word ? 'm32[pa >>> 2] = v' : 'm8[pa] = v'}; dirty[pa >>> 12] = 1;
      if ((pa & -4096) === ${page}) { ${sync(steps, next)} return; } } }`);
    } else if (op === Op.PUSH_R || op === Op.PUSH_I || op === Op.CALL_I || op === Op.CALL_R) {
      // push: sp moves only once the store succeeded; a call also records its shadow frame.
      const v = op === Op.PUSH_R ? A : op === Op.PUSH_I ? `${i.imm | 0}` : next;
      const after =
        op === Op.CALL_I ? `sh.push(0, ${next}, r15, ${i.imm | 0}, cpl); npc = ${i.imm | 0};`
        : op === Op.CALL_R ? `sh.push(0, ${next}, r15, t, cpl); npc = t;` : '';
      body.push(`{ ${op === Op.CALL_R ? `const t = ${A}; ` : ''}const v = ${v}; const va = (r15 - 4) | 0; ${translate(true, true)}
      if (pa < 0) ${slow(`slowPush(cpu, va, v, ${op === Op.CALL_I ? 1 : op === Op.CALL_R ? 2 : 0}, ${op === Op.CALL_I ? i.imm | 0 : op === Op.CALL_R ? 't' : 0}, ${next})`, `r15 = r[15];${op === Op.CALL_I || op === Op.CALL_R ? ' npc = cpu.pc;' : ''}`)}
      else { lva = va; lpa = pa; la = true; m32[pa >>> 2] = v; dirty[pa >>> 12] = 1; r15 = va; ${after}
      if ((pa & -4096) === ${page}) { ${sync(steps, op === Op.CALL_I || op === Op.CALL_R ? 'npc' : next)} return; } } }`);
    } else if (op === Op.POP || op === Op.RET) {
      body.push(`{ const va = r15; ${translate(false, true)}
      if (pa < 0) ${slow(`slowPop(cpu, va, ${op === Op.RET ? -1 : i.a}, ${next})`, `r15 = r[15];${op === Op.RET ? ' npc = cpu.pc;' : ` ${A} = r[${i.a}];`}`)}
      else { lva = va; lpa = pa; la = true; const v = m32[pa >>> 2]; r15 = (r15 + 4) | 0; ${op === Op.RET ? 'npc = v; if (sh.depth !== 0) sh.popCalls(r15);' : `${A} = v;`} } }`);
    } else if (op === Op.JMP_I) body.push(`npc = ${i.imm | 0};`);
    else if (op === Op.JMP_R) body.push(`npc = ${A};`);
    else if (isJccI(op) && k === n - 1) body.push(`npc = ${condSource(op)} ? ${i.imm | 0} : ${next};`);
    else if (isJccR(op) && k === n - 1) body.push(`npc = ${condSource(op)} ? ${A} : ${next};`);
    // Taken, a conditional jump leaves the block, or starts another pass when it jumps back to the start.
    else if (isJccI(op)) body.push(`if (${condSource(op)}) { npc = ${i.imm | 0}; ic += ${steps}; if (npc === pc0 && ic + ${n} <= dl) continue; break; }`);
    else if (isJccR(op)) body.push(`if (${condSource(op)}) { npc = ${A}; ic += ${steps}; if (npc === pc0 && ic + ${n} <= dl) continue; break; }`);
    else if (op === Op.INT) body.push(leave(i.w >>> 16 > 255 ? 'exception(cpu, UNDEFINED, 0);' : `softwareInterrupt(cpu, ${i.w >>> 16}, 4);`));
    else if (op === Op.SYSCALL) body.push(leave(`softwareInterrupt(cpu, ${Vector.SYSCALL}, 4);`));
    else if (op === Op.BRK) body.push(leave(`softwareInterrupt(cpu, ${Vector.BREAKPOINT}, 4);`));
    else throw new Error(`block compiler: unhandled op ${op}`);
  });
  const jumps = terminal(last.op) || isJccI(last.op) || isJccR(last.op);
  // A block that jumps back to its own start loops here while the step budget allows a whole pass.
  const src = `return function block(cpu, pc0) {
  const r = cpu.r, m32 = cpu.m32, m8 = cpu.m8, dirty = cpu.dirty, t = cpu.tlb, tkey = t.key, tpage = t.page, tperm = t.perm, mask = t.mask;
  const pg = cpu.paging, tg = cpu.tagKey, nR = cpu.needR, nW = cpu.needW, msz = cpu.memSize, sh = cpu.shadow, cpl = cpu.cpl, dl = cpu.deadline, fva0 = cpu.fVa;
  let ic0 = cpu.icount;
  let ic = ic0, fl = cpu.fl, dh = 0, lva = 0, lpa = 0, la = false, npc = ${at(end)};
  ${rs.map((x) => `let r${x} = r[${x}];`).join(' ')}
  for (;;) {
    ${body.join('\n    ')}
    ic += ${n};
    ${jumps ? `if (npc === pc0 && ic + ${n} <= dl) continue;` : `npc = ${at(end)};`}
    break;
  }
  ${sync(0, 'npc')}
};`;
  let run = compiled.get(src);
  if (!run) {
    const make = new Function('addFlags', 'subFlags', 'zn', 'shiftFlags', 'mulFlags', 'exception', 'softwareInterrupt', 'slowLoad', 'slowStore', 'slowPush', 'slowPop', 'DIVIDE', 'UNDEFINED', src);
    run = make(addFlags, subFlags, zn, shiftFlags, mulFlags, exception, softwareInterrupt, slowLoad, slowStore, slowPush, slowPop, Vector.DIVIDE, Vector.UNDEFINED) as Block['run'];
    if (compiled.size >= MAX_SHARED) compiled.clear();
    compiled.set(src, run);
  }
  return { pa, len: n, words: m32.slice(pa >>> 2, (pa + end) >>> 2), run };
}

/**
 * Compiled functions by source, shared by every machine of the process: the same code in another
 * machine (a restart, the next test) reuses the function V8 has already optimized.
 */
const compiled = new Map<string, Block['run']>();
const MAX_SHARED = 5000;

// The slow paths: the interpreter's own steps for the instruction, state already written back.

function slowLoad(cpu: Cpu, va: number, a: number, word: boolean, next: number): boolean {
  if (word) {
    if ((va & 3) === 0) {
      const p = cpu.tr(va, 0);
      if (p < 0) return false;
      cpu.r[a] = cpu.m32[p >>> 2];
    } else {
      cpu.faulted = false;
      const v = cpu.load32(va);
      if (cpu.faulted) {
        cpu.faulted = false;
        return false;
      }
      cpu.r[a] = v;
    }
  } else {
    const p = cpu.tr(va, 0);
    if (p < 0) return false;
    cpu.r[a] = cpu.m8[p];
  }
  cpu.pc = next;
  return true;
}

function slowStore(cpu: Cpu, va: number, v: number, word: boolean, next: number): boolean {
  if (!(word ? cpu.store32(va, v) : cpu.store8(va, v))) return false;
  cpu.pc = next;
  return true;
}

/** push (kind 0), call to an immediate (1) or a register (2): `t` the target. */
function slowPush(cpu: Cpu, va: number, v: number, kind: number, t: number, next: number): boolean {
  void va;
  if (!cpu.push(v)) return false;
  if (kind === 0) {
    cpu.pc = next;
    return true;
  }
  cpu.shadow.push(0, next, cpu.r[15], t, cpu.cpl);
  cpu.pc = t;
  return true;
}

/** pop into register `a`, or ret (a = -1). */
function slowPop(cpu: Cpu, va: number, a: number, next: number): boolean {
  cpu.faulted = false;
  const v = cpu.load32(va);
  if (cpu.faulted) {
    cpu.faulted = false;
    return false;
  }
  const r = cpu.r;
  r[15] = (r[15] + 4) | 0;
  if (a >= 0) {
    r[a] = v;
    cpu.pc = next;
    return true;
  }
  cpu.pc = v;
  if (cpu.shadow.depth !== 0) cpu.shadow.popCalls(r[15]);
  return true;
}

/** Whether the block's words are still in memory as compiled. */
function stillValid(b: Block, m32: Int32Array): boolean {
  const w = b.words;
  const base = b.pa >>> 2;
  for (let i = 0; i < w.length; i++) if (m32[base + i] !== w[i]) return false;
  return true;
}

/**
 * Run compiled blocks from the instruction at `pc` (physical `pa`, on the
 * cached fetch page, which holds no breakpoint), one after another while they
 * stay on that page and fit the step budget. Returns whether any ran (then
 * cpu.pc and everything else are as the interpreter would have left them).
 */
export function runBlocks(cpu: Cpu, pa: number): boolean {
  let ran = false;
  for (;;) {
    const page = pa >>> 12;
    // A page's slots are made when its first block is compiled, not when code on it first runs:
    // code run once on every page of a large memory costs nothing here.
    let slots = cpu.blockPages[page];
    const slot = (pa & 0xfff) >>> 2;
    let b = slots?.[slot];
    if (b === undefined || (b !== NO_BLOCK && !stillValid(b, cpu.m32))) {
      const hk = (pa >>> 2) & 0xffff;
      const h = cpu.blockHeat[hk];
      if (b === undefined && h < HOT) {
        cpu.blockHeat[hk] = h + 1;
        return ran;
      }
      if (b !== undefined) {
        // Rewritten code: compile it again, unless it keeps changing.
        const c = (cpu.recompiles.get(pa) ?? 0) + 1;
        cpu.recompiles.set(pa, c);
        if (c > MAX_RECOMPILES) {
          slots![slot] = NO_BLOCK;
          return ran;
        }
      }
      if (b === undefined && ++cpu.liveBlocks > cpu.maxLiveBlocks) {
        // A guest that keeps making new code (writing it to ever new addresses) would keep a
        // compiled function per address: past the cap the machine's code cache starts afresh.
        flushBlocks(cpu);
        cpu.liveBlocks = 1;
        slots = undefined;
      }
      slots ??= cpu.blockPages[page] = new Array<Block | undefined>(1024).fill(undefined);
      b = slots[slot] = compileBlock(cpu.m32, pa);
    }
    if (b === NO_BLOCK || cpu.icount + b.len > cpu.deadline) return ran;
    b.run(cpu, cpu.pc);
    ran = true;
    const pc = cpu.pc;
    if ((pc & -4093) !== cpu.fVa || cpu.icount >= cpu.deadline) return true;
    pa = cpu.fPa | (pc & 0xfff);
  }
}

/** Forget every compiled block of the machine (and the recompilation counts): the code cache starts afresh. */
export function flushBlocks(cpu: Cpu): void {
  cpu.blockPages.fill(undefined);
  cpu.recompiles.clear();
  cpu.liveBlocks = 0;
}

/** How many blocks are compiled in this machine now (tests and tools). */
export function compiledBlocks(cpu: Cpu): number {
  let n = 0;
  for (const p of cpu.blockPages) if (p) for (const b of p) if (b && b !== NO_BLOCK) n++;
  return n;
}
