/**
 * A loop compiler for the hottest case an interpreter meets: a tight loop of
 * register-only instructions that jumps back to its own start (busy waits,
 * counting loops). Such a loop is compiled once into a JavaScript function
 * that keeps the registers in locals, so V8 runs it as native code.
 *
 * It never changes what the machine does: only loops that touch no memory,
 * cannot fault and stay in one page are compiled; they run only while the
 * step budget allows whole iterations (timers and interrupts are looked at
 * on the same steps as without it); a page holding a breakpoint never uses
 * them; and a compiled loop checks its own instruction words before each
 * entry, so code written after compilation is never run stale. The results
 * (registers, flags, pc, icount, TLB fetch hits) are those of the interpreter;
 * a differential test holds it to that.
 */
import type { Cpu } from './cpu';
import { Op } from './isa/opcodes';
import { RESERVED } from './isa/codec';
import { WORDS_BY_OPCODE } from './isa/table';
import { isJccI, RI } from './blockdecode';
import { addFlags, condSource, mulFlags, shiftFlags, subFlags, zn } from './flags';

export interface CompiledLoop {
  /** Physical address of the first instruction. */
  pa: number;
  /** Instructions per iteration. */
  len: number;
  /** The loop's instruction words (verified before each entry). */
  words: Int32Array;
  /** Runs at most maxIter iterations; returns the steps taken and sets cpu.pc and cpu.fl. */
  run: (r: Int32Array, cpu: Cpu, maxIter: number) => number;
}

const MAX_WORDS = 64;
/** Taken backward jumps to a loop head (counted per head) before the loop compiler compiles it. */
export const LOOP_HOT_JUMPS = 16;

/** Source for one instruction, or undefined when it cannot be compiled. */
function body(op: number, a: number, b: number, imm: number): string | undefined {
  const A = `r${a}`;
  const Y = RI[op] ? `${imm | 0}` : `r${b}`;
  switch (op) {
    case Op.NOP: return '';
    case Op.MOV_RR: case Op.MOV_RI: return `${A} = ${Y};`;
    case Op.ADD_RR: case Op.ADD_RI: return `{ const x = ${A}, y = ${Y}, s = (x + y) | 0; ${A} = s; fl = addFlags(x, y, s); }`;
    case Op.SUB_RR: case Op.SUB_RI: return `{ const x = ${A}, y = ${Y}, s = (x - y) | 0; ${A} = s; fl = subFlags(x, y, s); }`;
    case Op.CMP_RR: case Op.CMP_RI: return `{ const x = ${A}, y = ${Y}; fl = subFlags(x, y, (x - y) | 0); }`;
    case Op.AND_RR: case Op.AND_RI: return `${A} = ${A} & ${Y}; fl = zn(${A});`;
    case Op.OR_RR: case Op.OR_RI: return `${A} = ${A} | ${Y}; fl = zn(${A});`;
    case Op.XOR_RR: case Op.XOR_RI: return `${A} = ${A} ^ ${Y}; fl = zn(${A});`;
    case Op.TEST_RR: case Op.TEST_RI: return `fl = zn(${A} & ${Y});`;
    case Op.SHL_RR: case Op.SHL_RI: return `{ const n = ${Y} & 31, x = ${A}, s = x << n; ${A} = s; fl = shiftFlags(s, n ? (x >>> (32 - n)) & 1 : 0); }`;
    case Op.SHR_RR: case Op.SHR_RI: return `{ const n = ${Y} & 31, x = ${A}, s = (x >>> n) | 0; ${A} = s; fl = shiftFlags(s, n ? (x >>> (n - 1)) & 1 : 0); }`;
    case Op.SAR_RR: case Op.SAR_RI: return `{ const n = ${Y} & 31, x = ${A}, s = x >> n; ${A} = s; fl = shiftFlags(s, n ? (x >> (n - 1)) & 1 : 0); }`;
    case Op.MUL_RR: case Op.MUL_RI: return `{ const x = ${A}, y = ${Y}, s = Math.imul(x, y); ${A} = s; fl = mulFlags(x, y, s); }`;
    case Op.NEG: return `{ const x = ${A}, s = -x | 0; ${A} = s; fl = zn(s) | (x !== 0 ? 4 : 0) | (x === -0x80000000 ? 8 : 0); }`;
    case Op.NOT: return `${A} = ~${A}; fl = zn(${A});`;
    default: return undefined;
  }
}

/** Whether the loop compiler compiles this opcode in a loop's body (jumps aside); the differential tests draw their loops from these. */
export const compilesInLoop = (op: number): boolean => body(op, 0, 1, 0) !== undefined;

/**
 * Compile the loop whose first instruction is at physical `pa` and linear `va`
 * (the jump target), or return undefined if it is not a compilable self-loop.
 */
export function compileLoop(m32: Int32Array, pa: number, va: number): CompiledLoop | undefined {
  const lines: string[] = [];
  const pageEnd = (pa | 0xfff) + 1;
  let p = pa;
  let n = 0;
  let term: { op: number; next: number } | undefined;
  while (p < pageEnd && n < MAX_WORDS) {
    const w = m32[p >>> 2];
    const op = w & 0xff;
    if ((w & RESERVED[op]) !== 0) return undefined;
    const twoWords = WORDS_BY_OPCODE[op] === 2;
    if (twoWords && p + 4 >= pageEnd) return undefined;
    const imm = twoWords ? m32[(p + 4) >>> 2] : 0;
    n++;
    if (op === Op.JMP_I || isJccI(op)) {
      if (imm === va) {
        // The jump back to the loop's own start ends the body.
        term = { op, next: (va + (p + 8 - pa)) | 0 };
        p += 8;
        break;
      }
      if (op === Op.JMP_I) return undefined;
      // A conditional jump elsewhere is a side exit: leave with the steps taken so far.
      lines.push(`if (${condSource(op)}) { @WB@ cpu.pc = ${imm | 0}; return n * @LEN@ + ${n}; }`);
      p += 8;
      continue;
    }
    const src = body(op, (w >>> 8) & 15, (w >>> 12) & 15, imm);
    if (src === undefined) return undefined;
    lines.push(src);
    p += twoWords ? 8 : 4;
  }
  if (!term) return undefined;
  const used = new Set<number>();
  for (const l of lines) for (const m of l.matchAll(/\br(\d+)\b/g)) used.add(Number(m[1]));
  const regs = [...used];
  const cond = term.op === Op.JMP_I ? 'true' : condSource(term.op);
  const writeback = `${regs.map((i) => `r[${i}] = r${i};`).join(' ')} cpu.fl = fl;`;
  const src = `return function loop(r, cpu, maxIter) {
  ${regs.map((i) => `let r${i} = r[${i}];`).join(' ')}
  let fl = cpu.fl;
  let n = 0;
  let again;
  do {
    ${lines.join('\n    ').split('@WB@').join(writeback).split('@LEN@').join(String(n))}
    n++;
    again = ${cond};
  } while (again && n < maxIter);
  ${writeback}
  cpu.pc = again ? ${va | 0} : ${term.next};
  return n * ${n};
};`;
  const make = new Function('addFlags', 'subFlags', 'zn', 'shiftFlags', 'mulFlags', src) as (...f: unknown[]) => CompiledLoop['run'];
  return { pa, len: n, words: m32.slice(pa >>> 2, p >>> 2), run: make(addFlags, subFlags, zn, shiftFlags, mulFlags) };
}

/** Whether the loop's words are still in memory as compiled. */
export function stillValid(loop: CompiledLoop, m32: Int32Array): boolean {
  const w = loop.words;
  const base = loop.pa >>> 2;
  for (let i = 0; i < w.length; i++) if (m32[base + i] !== w[i]) return false;
  return true;
}
