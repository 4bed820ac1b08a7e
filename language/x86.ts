/**
 * Habits from x86, the lectures' machine (Intel syntax), that R32 writes otherwise: an x86
 * instruction R32 does not have, and x86's mov where R32 has ld, st, rdsr or wrsr. The assembler's
 * errors say what R32 writes instead (lineInfo.ts); the language server offers the rewrite where it
 * is exact (service/codeActions.ts). Facts about x86, not about R32's instructions (those are the
 * instruction table's): each `as` is an R32 mnemonic.
 */
import { instructionByName, type InstructionDef } from '../emulator/isa/table';
import { chooseForm, type FormChoice } from './forms';
import { clip } from './lexer';
import type { OperandNode } from './parser';
import { k, t } from './l10n';

export interface X86Habit {
  /** What R32 writes instead, for the message: code, and a note in words (a message key). */
  write: string;
  note?: string;
  /** The R32 mnemonic that does it with the operands written (and `plus` after them), when that is exact. */
  as?: string;
  plus?: string;
}

const rename = (as: string): X86Habit => ({ write: as, as });

const X86_HABITS: Readonly<Record<string, X86Habit>> = {
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

/** What the quick fixes get: the mnemonic (and text after the operands) to write instead. */
export interface Rewrite {
  rewrite: { as: string; plus: string };
}

/** For an unknown mnemonic that is an x86 instruction R32 writes otherwise: the error's message, and the rewrite if exact. */
export function x86Unknown(mnemonic: string): { message: string; data?: Rewrite } | undefined {
  const key = mnemonic.toLowerCase();
  const h = Object.hasOwn(X86_HABITS, key) ? X86_HABITS[key] : undefined;
  if (!h) return undefined;
  const write = h.note ? `${h.write} (${t(h.note)})` : h.write;
  return { message: t("unknown instruction '{0}': where x86 has {0}, R32 writes {1}", clip(mnemonic), write), data: h.as ? { rewrite: { as: h.as, plus: h.plus ?? '' } } : undefined };
}

/**
 * For operands no form of `def` takes, written as on x86: x86's mov of memory or a system register
 * (the R32 instruction that takes these operands, and its rewrite), or a jump through memory. What
 * to add to the form error's message; undefined otherwise.
 */
export function x86Operands(def: InstructionDef, choice: FormChoice, ops: readonly OperandNode[]): { more: string; data?: Rewrite } | undefined {
  if (choice.ok || choice.code !== 'operand-kind') return undefined;
  const as = def.mnemonic === 'mov' ? X86_MOV_AS.find((m) => chooseForm(instructionByName(m)!, ops).ok) : undefined;
  if (as) return { more: t("; R32's mov moves only registers and values: write {0} here (x86's mov also moves memory and system registers)", as), data: { rewrite: { as, plus: '' } } };
  // `jmp [r2 + 4]`: R32 jumps to a target or to the address a register holds.
  const through = (def.flow === 'jump' || def.flow === 'branch' || def.flow === 'call') && ops[choice.operand ?? 0]?.kind === 'mem';
  return through ? { more: t('; R32 does not jump through memory: ld a register from it, then {0} to that register', def.mnemonic) } : undefined;
}

/** The x86 instructions the table names (tests: only what R32 lacks). */
export const x86Mnemonics = (): { x86: string; as?: string }[] => Object.entries(X86_HABITS).map(([x86, h]) => ({ x86, as: h.as }));
