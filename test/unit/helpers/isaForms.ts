/**
 * Instruction forms drawn from the instruction table for the tests that hold the compilers to the
 * interpreter: a new instruction is in their programs as soon as it is in the table (and, for a
 * compiler's pool, as soon as that compiler takes it).
 */
import { Form, INSTRUCTIONS, InstructionDef, touchesMemory } from '../../../emulator/isa/table';

export interface TableForm {
  def: InstructionDef;
  form: Form;
  /** The form's syntax line, as docs/isa.md writes it. */
  syntax: string;
}

/** Every form of the table. */
export const ALL_FORMS: readonly TableForm[] = INSTRUCTIONS.flatMap((def) => def.forms.map((form, i) => ({ def, form, syntax: `${def.mnemonic} ${def.syntax[i]}`.trim() })));

/** Forms on registers alone: no memory, no privilege, on to the next instruction, operands registers and immediates. */
export const REGISTER_FORMS: readonly TableForm[] = ALL_FORMS.filter(
  ({ def, form }) => def.flow === 'next' && def.privileged === 'none' && !touchesMemory(def, form) && form.operands.every((k) => k === 'reg' || k === 'imm'),
);

/** The conditional jumps to a label (their mnemonics). */
export const BRANCHES: readonly string[] = INSTRUCTIONS.filter((d) => d.flow === 'branch' && d.forms.some((f) => f.operands[0] === 'imm')).map((d) => d.mnemonic);

/** A line of assembly for a register form, its operands from `reg` and `imm`. */
export function formLine(f: TableForm, reg: () => string, imm: () => string | number): string {
  return `    ${f.def.mnemonic} ${f.form.operands.map((k) => (k === 'reg' ? reg() : imm())).join(', ')}`.trimEnd();
}
