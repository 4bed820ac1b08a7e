/**
 * What the block compiler (blockgen.ts) knows of each opcode, read from the ISA table (its flow,
 * flags and operand columns), and the decoding of one straight-line block from memory.
 */
import { Op } from './isa/opcodes';
import { RESERVED, validX } from './isa/codec';
import { fallsThrough, FORM_BY_OPCODE, mayLeave as leavesRun, WORDS_BY_OPCODE } from './isa/table';
import { SysReg } from './isa/registers';

const MAX_INSNS = 48;

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
});

export const isJccI = (op: number) => JCC_I[op] === 1;
export const isJccR = (op: number) => JCC_R[op] === 1;

export interface Insn {
  op: number;
  w: number;
  a: number;
  b: number;
  imm: number;
  /** Offset from the block start, and length in bytes. */
  off: number;
  size: number;
}

/** Kinds for flag liveness: sets flags / may leave the block midway or read the flags (slow path, fault, status). */
export const setsFlags = (op: number) => SETS_FLAGS[op] === 1;
// rdsr status reads the flags: the table has it privileged (a #GP for other registers), so it leaves.
export const mayLeave = (op: number) => LEAVES[op] === 1;

function compilable(op: number, x: number): boolean {
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

/** Decode the block at physical `pa` (instruction-aligned), or [] when its first instruction cannot be compiled. */
export function decode(m32: Int32Array, pa: number): Insn[] {
  const out: Insn[] = [];
  const pageEnd = (pa | 0xfff) + 1;
  let p = pa;
  while (p < pageEnd && out.length < MAX_INSNS) {
    const w = m32[p >>> 2];
    const op = w & 0xff;
    if ((w & RESERVED[op]) !== 0 || !compilable(op, w >>> 16)) break;
    const size = WORDS_BY_OPCODE[op] === 2 ? 8 : 4;
    if (p + size > pageEnd) break; // the immediate is on the next page: the interpreter fetches it
    out.push({ op, w, a: (w >>> 8) & 15, b: (w >>> 12) & 15, imm: size === 8 ? m32[(p + 4) >>> 2] : 0, off: p - pa, size });
    p += size;
    if (terminal(op)) break;
  }
  return out;
}

