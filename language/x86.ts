/**
 * Habits from x86, the lectures' machine (Intel syntax), that R32 writes otherwise: an x86
 * instruction R32 does not have, and x86's mov where R32 has ld, st, rdsr or wrsr. The assembler's
 * errors say what R32 writes instead (lineInfo.ts); the language server offers the rewrite where it
 * is exact (service/codeActions.ts). Facts about x86, not about R32's instructions (those are the
 * instruction table's): each `as` is an R32 mnemonic.
 */
import { k } from './l10n';

export interface X86Habit {
  /** What R32 writes instead, for the message: code, and a note in words (a message key). */
  write: string;
  note?: string;
  /** The R32 mnemonic that does it with the operands written (and `plus` after them), when that is exact. */
  as?: string;
  plus?: string;
}

const rename = (as: string): X86Habit => ({ write: as, as });

export const X86_HABITS: Readonly<Record<string, X86Habit>> = {
  inc: { write: 'add rd, 1', as: 'add', plus: ', 1' },
  dec: { write: 'sub rd, 1', as: 'sub', plus: ', 1' },
  int3: rename('brk'),
  iretd: rename('iret'),
  iretq: rename('iret'),
  pushfd: rename('pushf'),
  popfd: rename('popf'),
  sal: rename('shl'),
  // x86's other names of the conditional jumps R32 has.
  jc: rename('jb'),
  jnae: rename('jb'),
  jnc: rename('jae'),
  jnb: rename('jae'),
  jna: rename('jbe'),
  jnbe: rename('ja'),
  jnge: rename('jl'),
  jnl: rename('jge'),
  jng: rename('jle'),
  jnle: rename('jg'),
  // Two-operand imul keeps the low 32 bits of the product, which are the same signed or unsigned.
  imul: { write: 'mul rd, src', note: k('the same low 32 bits of the product'), as: 'mul' },
  idiv: { write: 'div rd, src', note: k('unsigned: R32 has no signed divide') },
  movzx: { write: 'ldb rd, [m]', note: k('a byte, zero-extended'), as: 'ldb' },
  lea: { write: 'mov rd, label', note: k('for [rb + disp]: mov, then add') },
  xchg: { write: 'mov', note: k('three of them, through a spare register') },
  leave: { write: 'mov sp, fp', note: k('then pop fp') },
  loop: { write: 'sub rd, 1', note: k('then jnz') },
  sysenter: rename('syscall'),
  sysexit: rename('iret'),
  sysret: rename('iret'),
};

/** What R32 writes for x86's `mov` when its operands are memory or a system register (`mov [r1], r2`: st). */
export const X86_MOV_AS: readonly string[] = ['ld', 'st', 'rdsr', 'wrsr'];
