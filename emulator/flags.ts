/** Arithmetic flags (status bits 0-3) as the ALU sets them, and the jump conditions.
 * Shared by the interpreter and the loop compiler so both compute the very same bits. */
import { Op } from './isa/opcodes';

export const Z = 1;
export const N = 2;
export const C = 4;
export const V = 8;

export function zn(s: number): number {
  return (s === 0 ? Z : 0) | ((s >>> 31) << 1);
}
export function addFlags(x: number, y: number, s: number): number {
  return zn(s) | (s >>> 0 < x >>> 0 ? C : 0) | (((x ^ s) & (y ^ s)) < 0 ? V : 0);
}
export function subFlags(x: number, y: number, s: number): number {
  return zn(s) | (x >>> 0 < y >>> 0 ? C : 0) | (((x ^ y) & (x ^ s)) < 0 ? V : 0);
}
export function shiftFlags(s: number, carry: number): number {
  return zn(s) | (carry ? C : 0);
}
export function mulFlags(x: number, y: number, s: number): number {
  return zn(s) | ((x >>> 0) * (y >>> 0) > 0xffffffff ? C | V : 0);
}

/**
 * The flags of a lazy record: the interpreter keeps the kind and operands of the last step that set
 * the flags and computes them only when something reads them (a jump, a trap, the machine's state),
 * as most flags an add, sub, compare or logic step sets are set again before anything reads them.
 * Kind LAZY_NONE: they are `fl` itself.
 */
export const LAZY_NONE = 0;
export const LAZY_ADD = 1;
export const LAZY_SUB = 2;
export const LAZY_ZN = 3;
export function lazyFlags(kind: number, fl: number, x: number, y: number, s: number): number {
  return kind === LAZY_NONE ? fl : kind === LAZY_ADD ? addFlags(x, y, s) : kind === LAZY_SUB ? subFlags(x, y, s) : zn(s);
}

/** Evaluate the condition of a Jcc opcode (either form) on flags f. */
export function cond(op: number, f: number): boolean {
  const n = (f & N) !== 0;
  const v = (f & V) !== 0;
  switch (op & ~1) {
    case Op.JZ_I: return (f & Z) !== 0;
    case Op.JNZ_I: return (f & Z) === 0;
    case Op.JL_I: return n !== v;
    case Op.JLE_I: return (f & Z) !== 0 || n !== v;
    case Op.JG_I: return (f & Z) === 0 && n === v;
    case Op.JGE_I: return n === v;
    case Op.JB_I: return (f & C) !== 0;
    case Op.JBE_I: return (f & (C | Z)) !== 0;
    case Op.JA_I: return (f & (C | Z)) === 0;
    default: return (f & C) === 0; // JAE
  }
}

/**
 * cond(op, lazyFlags(kind, fl, x, y, s)) without computing the flags where the record tells the
 * answer: after a subtraction or compare the condition is the compare of its operands (jl is x < y,
 * jb x < y unsigned), after any of them jz and jnz look at the result. A test holds it to cond().
 */
export function condLazy(op: number, kind: number, fl: number, x: number, y: number, s: number): boolean {
  if (kind === LAZY_SUB) {
    switch (op & ~1) {
      case Op.JZ_I: return s === 0;
      case Op.JNZ_I: return s !== 0;
      case Op.JL_I: return x < y;
      case Op.JLE_I: return x <= y;
      case Op.JG_I: return x > y;
      case Op.JGE_I: return x >= y;
      case Op.JB_I: return x >>> 0 < y >>> 0;
      case Op.JBE_I: return x >>> 0 <= y >>> 0;
      case Op.JA_I: return x >>> 0 > y >>> 0;
      default: return x >>> 0 >= y >>> 0; // JAE
    }
  }
  if (kind !== LAZY_NONE && (op & ~1) === Op.JZ_I) return s === 0;
  if (kind !== LAZY_NONE && (op & ~1) === Op.JNZ_I) return s !== 0;
  return cond(op, lazyFlags(kind, fl, x, y, s));
}

/** condLazy()'s answer after a subtraction or compare of `x` and `y` (names), as source: for compiled code, which keeps a compare's operands instead of its flags (blocktrap.ts REGION_FLAGS). */
export function condSubSource(op: number, x: string, y: string): string {
  switch (op & ~1) {
    case Op.JZ_I: return `${x} === ${y}`;
    case Op.JNZ_I: return `${x} !== ${y}`;
    case Op.JL_I: return `${x} < ${y}`;
    case Op.JLE_I: return `${x} <= ${y}`;
    case Op.JG_I: return `${x} > ${y}`;
    case Op.JGE_I: return `${x} >= ${y}`;
    case Op.JB_I: return `${x} >>> 0 < ${y} >>> 0`;
    case Op.JBE_I: return `${x} >>> 0 <= ${y} >>> 0`;
    case Op.JA_I: return `${x} >>> 0 > ${y} >>> 0`;
    default: return `${x} >>> 0 >= ${y} >>> 0`;
  }
}

/** The same conditions as JavaScript source over a variable `fl`, for compiled loops. */
export function condSource(op: number): string {
  switch (op & ~1) {
    case Op.JZ_I: return '(fl & 1) !== 0';
    case Op.JNZ_I: return '(fl & 1) === 0';
    case Op.JL_I: return '((fl >> 1) & 1) !== ((fl >> 3) & 1)';
    case Op.JLE_I: return '((fl & 1) !== 0 || ((fl >> 1) & 1) !== ((fl >> 3) & 1))';
    case Op.JG_I: return '((fl & 1) === 0 && ((fl >> 1) & 1) === ((fl >> 3) & 1))';
    case Op.JGE_I: return '((fl >> 1) & 1) === ((fl >> 3) & 1)';
    case Op.JB_I: return '(fl & 4) !== 0';
    case Op.JBE_I: return '(fl & 5) !== 0';
    case Op.JA_I: return '(fl & 5) === 0';
    default: return '(fl & 4) === 0';
  }
}
