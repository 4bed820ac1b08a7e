/**
 * What the block compiler (blockgen.ts) knows of each opcode, read from the ISA table (its flow,
 * flags and operand columns), and the decoding of one straight-line block from memory.
 */
import { Op } from './isa/opcodes';
import { RESERVED, validX } from './isa/codec';
import { fallsThrough, FORM_BY_OPCODE, mayLeave as leavesRun, WORDS_BY_OPCODE } from './isa/table';
import { SysReg } from './isa/registers';

const MAX_INSNS = 48;
/**
 * Instructions that touch memory or trap, in one block at most: each is a few KB of source (the TLB
 * look-up, the walk, the fault), and a block that follows calls could otherwise grow past what V8
 * optimizes (blocks.ts MAX_REGION_CHARS).
 */
const MAX_HEAVY = 16;
const HEAVY_GROUPS: readonly string[] = ['load/store', 'stack', 'calls', 'traps'];

/** A register operation whose source is the immediate (word 1). */
export const RI = new Uint8Array(256);
/** A conditional jump to an immediate target / to a register. */
const JCC_I = new Uint8Array(256);
const JCC_R = new Uint8Array(256);
/** Ends a block: control does not simply go on to the next instruction (the table's flow). */
const ENDS = new Uint8Array(256);
const SETS_FLAGS = new Uint8Array(256);
/** May leave a straight run midway (fault, jump, trap): the flags must be right before it. */
const LEAVES = new Uint8Array(256);
const HEAVY = new Uint8Array(256);
FORM_BY_OPCODE.forEach((e, op) => {
  if (!e) return;
  const { def: d, form: f } = e;
  const regOp = d.group === 'ALU' || d.group === 'compare' || d.group === 'move';
  RI[op] = regOp && f.operands.length === 2 && f.operands[1] === 'imm' ? 1 : 0;
  JCC_I[op] = d.flow === 'branch' && f.operands[0] === 'imm' ? 1 : 0;
  JCC_R[op] = d.flow === 'branch' && f.operands[0] === 'reg' ? 1 : 0;
  ENDS[op] = fallsThrough(d) ? 0 : 1;
  SETS_FLAGS[op] = d.setsFlags ? 1 : 0;
  LEAVES[op] = leavesRun(d, f) ? 1 : 0;
  HEAVY[op] = HEAVY_GROUPS.includes(d.group) ? 1 : 0;
});

export const isJccI = (op: number) => JCC_I[op] === 1;
export const isJccR = (op: number) => JCC_R[op] === 1;

export interface Insn {
  op: number;
  w: number;
  a: number;
  b: number;
  imm: number;
  /** Offset from the block start (negative when a followed call or jump went backwards), and length in bytes. */
  off: number;
  size: number;
  /**
   * The block goes on past this jump or call, at its target on the same page (a call or jump
   * followed), or past this ret at the return address of a call followed earlier in the block
   * (`retTo`, an offset from the block start): checked when it runs, left when not so.
   */
  follow?: boolean;
  retTo?: number;
}

/** A decoded block: its instructions, and the word that stopped the decoding (an index into m32; -1 if none was read). */
export interface Block {
  insns: Insn[];
  stop: number;
}

/** Kinds for flag liveness: sets flags / may leave the block midway or read the flags (slow path, fault, status). */
export const setsFlags = (op: number) => SETS_FLAGS[op] === 1;
// rdsr status reads the flags: the table has it privileged (a #GP for other registers), so it leaves.
export const mayLeave = (op: number) => LEAVES[op] === 1;

/** Whether the block compiler compiles this opcode (with X field `x`); the differential tests draw their programs from these. */
export function compilable(op: number, x: number): boolean {
  if (op === Op.MOV_RR || op === Op.MOV_RI || op === Op.NOP || op === Op.IRET) return true;
  // rdsr of anything but cr3 (whose read a hypervisor may intercept).
  if (op === Op.RDSR) return validX(op, x) && x !== SysReg.CR3;
  if (op >= Op.LD_MR && op <= Op.POP) return true;
  if (op >= Op.ADD_RR && op <= Op.NOT) return true;
  if (op >= Op.CMP_RR && op <= Op.TEST_RI) return true;
  if (op >= Op.JMP_I && op <= Op.JAE_R) return true;
  return op === Op.CALL_I || op === Op.CALL_R || op === Op.RET || op === Op.INT || op === Op.SYSCALL || op === Op.BRK;
}
/** Instructions that end a block (a conditional jump does not: taken, it leaves the block; not taken, the block goes on). */
export const terminal = (op: number) => ENDS[op] === 1;

/**
 * Decode the block at physical `pa` (instruction-aligned); no instructions when its first cannot be
 * compiled. A direct call or jump whose target is on the same page is followed (a jump only to code
 * not yet in the block: a loop stays a loop), and so is a ret after a call followed in the block, at
 * the call's return address: the guards that hold it to what runs are the code generator's.
 */
export function decode(m32: Int32Array, pa: number): Block {
  const out: Insn[] = [];
  const page = pa & -4096;
  const pageEnd = page + 4096;
  const seen = new Set<number>();
  // Return addresses (page offsets) of the calls followed, innermost last.
  const calls: number[] = [];
  let p = pa;
  let stop = -1;
  let heavy = 0;
  while (out.length < MAX_INSNS) {
    if (p >= pageEnd) break;
    const w = m32[p >>> 2];
    const op = w & 0xff;
    if ((w & RESERVED[op]) !== 0 || !compilable(op, w >>> 16)) {
      stop = p >>> 2;
      break;
    }
    const size = WORDS_BY_OPCODE[op] === 2 ? 8 : 4;
    if (p + size > pageEnd) {
      stop = p >>> 2; // the immediate is on the next page: the interpreter fetches it
      break;
    }
    if (HEAVY[op] === 1 && ++heavy > MAX_HEAVY) break;
    const i: Insn = { op, w, a: (w >>> 8) & 15, b: (w >>> 12) & 15, imm: size === 8 ? m32[(p + 4) >>> 2] : 0, off: p - pa, size };
    out.push(i);
    seen.add(p);
    p += size;
    if (!terminal(op)) continue;
    const target = page + (i.imm & 0xfff);
    if ((op === Op.CALL_I || op === Op.JMP_I) && (i.imm & 3) === 0 && (op === Op.CALL_I || !seen.has(target))) {
      if (op === Op.CALL_I) calls.push(p - page);
      i.follow = true;
      p = target;
    } else if (op === Op.RET && calls.length !== 0) {
      p = page + calls.pop()!;
      i.retTo = p - pa;
    } else break;
  }
  // The last instruction is not followed: the block ends there.
  const last = out[out.length - 1];
  if (last) {
    last.follow = undefined;
    last.retTo = undefined;
  }
  return { insns: out, stop };
}

/**
 * Of the entries `offs` (page offsets) of the page at physical `page`, those that another's block
 * runs through in straight line (not its first instruction), and that no block of them jumps, calls
 * or returns to: the instruction after a system one the interpreter ran (rdsr, wrsr) is such an
 * entry. Compiled with the others it would be entered only when a deadline split that block, first
 * long after V8 had optimized the region: V8 then throws the region's optimized code away (it has
 * no feedback for that entry's code) and compiles it again, tens of milliseconds of slow running.
 */
export function throughOnly(m32: Int32Array, page: number, offs: readonly number[]): ReadonlySet<number> {
  const key = `${page}:${offs.join(',')}`;
  const known = answers.get(key);
  if (known && sameWords(m32, known.at, known.words)) return known.out;
  const through = new Set<number>();
  const reached = new Set<number>();
  const read: number[] = [];
  for (const off of offs) {
    const b = decode(m32, page + off);
    if (b.stop >= 0) read.push(b.stop);
    for (const [k, i] of b.insns.entries()) {
      const at = (off + i.off) & 0xfff;
      for (let w = 0; w < i.size; w += 4) read.push((page + at + w) >>> 2);
      if (k > 0) through.add(at);
      if (isJccI(i.op) || i.op === Op.JMP_I || i.op === Op.CALL_I) reached.add(i.imm & 0xfff);
      if (i.op === Op.CALL_I || i.op === Op.CALL_R) reached.add((at + i.size) & 0xfff);
    }
  }
  const out = new Set(offs.filter((o) => through.has(o) && !reached.has(o)));
  if (answers.size >= MAX_ANSWERS) answers.clear();
  const at = Int32Array.from(read);
  answers.set(key, { at, words: at.map((j) => m32[j]), out });
  return out;
}

/**
 * throughOnly()'s answers for this process, by page and entries, with the words their decoding read:
 * an answer stands while memory holds those words. Each new entry of a page that has some asks it,
 * and every machine after the first meets the same questions (the benchmark's next round, a
 * restart); decoding all the page's blocks again each time took up to 0.09 ms of a 1.9 ms run.
 */
const answers = new Map<string, { at: Int32Array; words: Int32Array; out: ReadonlySet<number> }>();
const MAX_ANSWERS = 4096;

function sameWords(m32: Int32Array, at: Int32Array, words: Int32Array): boolean {
  for (let k = 0; k < at.length; k++) if (m32[at[k]] !== words[k]) return false;
  return true;
}
