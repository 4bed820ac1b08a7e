/** Encoding and decoding of instruction words, driven by the instruction table. */
import { FORM_BY_OPCODE, Form, InstructionDef, OperandKind, reservedMask } from './table';
import { registerName, SYSTEM_REGISTERS, SysReg, VMCS_FIELDS } from './registers';
import { Op } from './opcodes';
import { hex } from './hex';

/** One operand's value: `reg` for registers and memory bases, `imm` for immediates,
 * displacements, addresses and X-field values (sreg/field id, port, vector). */
export interface Operand {
  kind: OperandKind;
  reg: number;
  imm: number;
}

export interface Decoded {
  def: InstructionDef;
  form: Form;
  operands: Operand[];
  /** Length in bytes: 4 or 8. */
  length: number;
}

/** Reserved-bit mask per opcode; undefined opcodes have all bits reserved. */
export const RESERVED: Int32Array = (() => {
  const t = new Int32Array(256).fill(-1);
  FORM_BY_OPCODE.forEach((e, op) => {
    if (e) t[op] = reservedMask(e.form) | 0;
  });
  return t;
})();

/** Whether an X-field value is defined for the form (else the encoding is undefined: trap 6). */
export function validX(op: number, x: number): boolean {
  switch (op) {
    case Op.RDSR:
      return x < SYSTEM_REGISTERS.length;
    case Op.WRSR:
      return x < SYSTEM_REGISTERS.length && x !== SysReg.STATUS;
    case Op.VMREAD:
    case Op.VMWRITE:
      return x < VMCS_FIELDS.length;
    case Op.INT:
      return x < 256;
    default:
      return true;
  }
}

/** Encode one instruction. Returns one or two words. */
export function encode(form: Form, operands: readonly Operand[]): number[] {
  let w0 = form.op;
  let w1 = 0;
  let regSlot = 0;
  form.operands.forEach((k, i) => {
    const o = operands[i];
    switch (k) {
      case 'reg':
        w0 |= (o.reg & 15) << (regSlot++ === 0 ? 8 : 12);
        break;
      case 'mreg':
        w0 |= (o.reg & 15) << 12;
        break;
      case 'mdisp':
        w0 |= (o.reg & 15) << 12;
        w1 = o.imm | 0;
        break;
      case 'imm':
      case 'mabs':
        w1 = o.imm | 0;
        break;
      default:
        w0 |= (o.imm & 0xffff) << 16;
    }
  });
  return form.words === 2 ? [w0 | 0, w1 | 0] : [w0 | 0];
}

/** Decode the instruction whose first word is w0 (w1 is the following word, used by two-word forms).
 * Returns undefined for an undefined encoding, exactly when the CPU would raise trap 6 for it. */
export function decode(w0: number, w1: number): Decoded | undefined {
  const op = w0 & 0xff;
  const entry = FORM_BY_OPCODE[op];
  if (!entry || (w0 & RESERVED[op]) !== 0) return undefined;
  const x = w0 >>> 16;
  if (!validX(op, x)) return undefined;
  const a = (w0 >>> 8) & 15;
  const b = (w0 >>> 12) & 15;
  let regSlot = 0;
  const operands = entry.form.operands.map((kind): Operand => {
    switch (kind) {
      case 'reg':
        return { kind, reg: regSlot++ === 0 ? a : b, imm: 0 };
      case 'mreg':
        return { kind, reg: b, imm: 0 };
      case 'mdisp':
        return { kind, reg: b, imm: w1 | 0 };
      case 'imm':
      case 'mabs':
        return { kind, reg: 0, imm: w1 | 0 };
      default:
        return { kind, reg: 0, imm: x };
    }
  });
  return { def: entry.def, form: entry.form, operands, length: entry.form.words * 4 };
}


/** Optional symbolizer: a name for an address, for jump targets and absolute operands. */
export type Symbolize = (address: number) => string | undefined;

export function formatOperand(o: Operand, symbolize?: Symbolize): string {
  switch (o.kind) {
    case 'reg':
      return registerName(o.reg);
    case 'imm':
      return symbolize?.(o.imm >>> 0) ?? (o.imm < 0 && o.imm > -4096 ? String(o.imm) : o.imm >= 0 && o.imm < 10 ? String(o.imm) : hex(o.imm));
    case 'mreg':
      return `[${registerName(o.reg)}]`;
    case 'mdisp':
      return o.imm < 0 ? `[${registerName(o.reg)} - ${hex(-o.imm)}]` : `[${registerName(o.reg)} + ${hex(o.imm)}]`;
    case 'mabs':
      return `[${symbolize?.(o.imm >>> 0) ?? hex(o.imm)}]`;
    case 'sreg':
      return SYSTEM_REGISTERS[o.imm]?.name ?? `sr${o.imm}`;
    case 'field':
      return VMCS_FIELDS[o.imm]?.name ?? `field${o.imm}`;
    case 'port':
    case 'vector':
      return hex(o.imm);
  }
}

/** Disassemble to assembler syntax that assembles back to the same words. */
export function formatInstruction(d: Decoded, symbolize?: Symbolize): string {
  // Only addresses get names (jump and call targets, absolute memory operands): `mov r1, 4` must
  // not turn into a label that happens to sit at 4.
  const named = d.def.group === 'jumps' || d.def.group === 'calls' || d.form.operands.includes('mabs');
  const ops = d.operands.map((o) => formatOperand(o, named ? symbolize : undefined)).join(', ');
  return ops ? `${d.def.mnemonic} ${ops}` : d.def.mnemonic;
}
