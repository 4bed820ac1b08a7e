/**
 * The instruction table's derived columns (flow, writesFirst, gate) replace side lists in the
 * language service and the adapter, so they are held to the table's own structure and to what
 * the machine does: a new instruction whose columns are wrong fails here.
 */
import * as assert from 'assert';
import { isa } from '../../emulator';
import { cpu } from './helpers/cpu';

const { INSTRUCTIONS } = isa;

describe('instruction table: derived columns', () => {
  it('flow agrees with the operands and groups', () => {
    for (const d of INSTRUCTIONS) {
      if (d.flow === 'branch' || d.flow === 'jump' || d.flow === 'call') {
        for (const f of d.forms) assert.ok(f.operands.length === 1 && (f.operands[0] === 'imm' || f.operands[0] === 'reg'), `${d.mnemonic}: a transfer takes one target`);
      }
      if (d.group === 'jumps') assert.ok(d.flow === 'branch' || d.flow === 'jump', `${d.mnemonic} is a jump`);
      if (d.group === 'calls') assert.ok(d.flow === 'call' || d.flow === 'return', `${d.mnemonic} is a call or return`);
      if (d.group === 'traps') assert.ok(d.flow === 'trap' && d.gate !== undefined, `${d.mnemonic} raises a vector through a gate`);
      if (d.gate !== undefined) assert.strictEqual(d.flow, 'trap', `${d.mnemonic}: a gate is a trap`);
      if (d.gate === 'operand') assert.ok(d.forms.every((f) => f.operands[0] === 'vector'), `${d.mnemonic}: its vector is its operand`);
      if (d.writesFirst) assert.ok(d.forms.every((f) => f.operands[0] === 'reg'), `${d.mnemonic}: it writes a register first operand`);
    }
  });

  it('the privilege by opcode is the table\'s, and undefined opcodes are undefined', () => {
    for (let op = 0; op < 256; op++) {
      const e = isa.FORM_BY_OPCODE[op];
      assert.strictEqual(isa.PRIVILEGE_BY_OPCODE[op], e ? e.def.privileged : 'undefined');
    }
  });

  // Operands chosen so that any write to rd changes it (rd = 0x71234567, the source 0x10000008).
  const SOURCE: Partial<Record<isa.OperandKind, string>> = {
    reg: 'r2', imm: '0x10000008', mreg: '[r3]', mdisp: '[r3 + 4]', mabs: '[0x4000]', port: '0x11', sreg: 'cr0',
  };
  for (const d of INSTRUCTIONS) {
    if (d.flow !== 'next' || d.group === 'VMX') continue;
    d.forms.forEach((f, i) => {
      if (f.operands[0] !== 'reg' || f.operands.slice(1).some((k) => !SOURCE[k])) return;
      it(`writesFirst of \`${d.mnemonic} ${d.syntax[i]}\` is what the machine does (${d.writesFirst})`, () => {
        const operands = ['r1', ...f.operands.slice(1).map((k) => SOURCE[k]!)].join(', ');
        const src = `_start:\n    mov sp, 0x8000\n    mov r1, 0x71234567\n    mov r2, 0x10000008\n    mov r3, 0x4000\n    ${d.mnemonic} ${operands}\n    mov r9, 0\n    out 0xF4, r9`;
        const run = cpu(src).run().expectStop('poweroff');
        assert.strictEqual(run.m.cpu.r[1] !== 0x71234567, d.writesFirst, `after \`${d.mnemonic} ${operands}\` r1 = ${run.m.cpu.r[1]}`);
      });
    });
  }
});
