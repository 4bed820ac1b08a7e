/**
 * The instruction table's columns replace side lists in the compilers, the language service and
 * the adapter (flow, writesFirst, gate, setsFlags, privileged, sensitive, canFault), so they are
 * held to the table's own structure and to what the machine (the interpreter) does: a new
 * instruction whose columns are wrong fails here.
 */
import * as assert from 'assert';
import { isa } from '../../emulator';
import { validX } from '../../emulator/isa/codec';
import { SYSTEM_REGISTERS } from '../../emulator/isa/registers';
import { cpu, savedFrame, trapKernel } from './helpers/cpu';
import { ALL_FORMS, REGISTER_FORMS, TableForm } from './helpers/isaForms';

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

/** The vector the test body raises after the instruction: the exit code when the instruction itself did not trap. */
const AFTER = 0x40;
const GP = isa.Vector.GP;
const UD = isa.Vector.UNDEFINED;

/**
 * Operand lists for a form: registers r1 = 0x71234567 and r2 = 0x10000008, a jump's target `after`
 * (r4), data at r3 = 0x4000, port 0x99 (none), vector AFTER; one list per system register it takes.
 * At CPL 0 a system register is written only as cr2: cr0, cr3, ivt or ksp would change the machine under the test.
 */
function operandLists(t: TableForm, ring: number): string[] {
  const transfer = t.def.flow === 'branch' || t.def.flow === 'jump' || t.def.flow === 'call';
  let regs = 0;
  let lists = [''];
  t.form.operands.forEach((k, i) => {
    const srs = SYSTEM_REGISTERS.filter((s) => validX(t.form.op, s.id)).map((s) => s.name);
    const choices =
      k === 'reg' ? [transfer ? 'r4' : regs++ === 0 ? 'r1' : 'r2']
      : k === 'imm' ? [transfer ? 'after' : '0x10000008']
      : k === 'mreg' ? ['[r3]']
      : k === 'mdisp' ? ['[r3 + 4]']
      : k === 'mabs' ? ['[0x4000]']
      : k === 'sreg' ? (ring === 0 && i === 0 ? ['cr2'] : srs)
      : k === 'field' ? ['guest_pc']
      : k === 'port' ? ['0x99']
      : [`${AFTER}`];
    lists = lists.flatMap((l) => choices.map((c) => (l ? `${l}, ${c}` : c)));
  });
  return lists.map((l) => `${t.def.mnemonic} ${l}`.trim());
}

interface Outcome {
  exit: number;
  /** status as the trap after it saw it (flags, IF, CPL). */
  status: number;
  sp: number;
  regs: number[];
  /** The words from sp up to the stack's top, and the data words. */
  stack: number[];
  data: number[];
}

/** Run `insn` at CPL `ring` with IF (`ifBit`) and the flags `flags`, [sp] = `after`, then `int AFTER`. */
function runAt(insn: string, ring: number, ifBit = 0, flags = 0): Outcome {
  const body = `    mov r1, 0x71234567\n    mov r2, 0x10000008\n    mov r3, 0x4000\n    mov r4, after\n    push after\n    push ${flags | ifBit}\n    popf\n    ${insn}\nafter:\n    int ${AFTER}`;
  const f = cpu(trapKernel(body, { ring, status: ifBit }), { memory: 1 << 20 }).run().expectStop('poweroff');
  const fr = savedFrame(f);
  const words = (from: number, to: number) => Array.from({ length: Math.max(0, (to - from) >> 2) }, (_, i) => f.word(from + i * 4));
  return { exit: f.m.exitCode, status: fr.status, sp: fr.sp, regs: Array.from({ length: 10 }, (_, i) => f.m.register(i)), stack: words(fr.sp, 0x9000), data: words(0x4000, 0x4008) };
}

/** The exit code of a run where nothing faults: the instruction's own vector, or AFTER. */
const noTrap = (t: TableForm) => (typeof t.def.gate === 'number' ? t.def.gate : AFTER);
/** hlt waits for an interrupt and iret needs a frame: their CPL 0 behaviour is cpu.privilege.test.ts's. */
const runsPlainAtCpl0 = (t: TableForm) => t.def.flow !== 'halt' && t.def.flow !== 'trap-return';

describe('instruction table: privileged is what the machine does', () => {
  for (const t of ALL_FORMS) {
    for (const insn of operandLists(t, 3)) {
      const p = t.def.privileged;
      const want = p === 'vmx-root' ? UD : p === 'cpl0' || (p === 'cpl0-but-status' && !insn.endsWith(', status')) ? GP : noTrap(t);
      it(`\`${insn}\` (${p}) at CPL 3 raises ${want}`, () => assert.strictEqual(runAt(insn, 3).exit, want));
    }
    if (t.def.privileged !== 'none' && runsPlainAtCpl0(t)) {
      for (const insn of operandLists(t, 0)) it(`\`${insn}\` (${t.def.privileged}) runs at CPL 0`, () => assert.strictEqual(runAt(insn, 0).exit, noTrap(t)));
    }
  }
});

describe('instruction table: setsFlags is what the machine does', () => {
  // The block compiler drops a flag computation that a later setsFlags instruction overwrites
  // (blockdecode.ts): setsFlags must mean all of Z N C V, whatever they were.
  for (const t of ALL_FORMS.filter(runsPlainAtCpl0)) {
    const [insn] = operandLists(t, 0);
    it(`\`${insn}\`: ${t.def.setsFlags ? 'sets Z N C V' : t.def.flagsNote ? 'changes them (flagsNote)' : 'leaves the flags alone'}`, () => {
      const [a, b] = [0, 0xf].map((before) => runAt(insn, 0, 0, before).status & 0xf);
      if (t.def.setsFlags) assert.strictEqual(a, b, `flags after depend on flags before (${a} / ${b})`);
      else if (t.def.flagsNote) assert.ok(a !== 0 || b !== 0xf, 'flags unchanged: a stale flagsNote?');
      else assert.deepStrictEqual([a, b], [0, 0xf], 'flags changed');
    });
  }
});

describe('instruction table: canFault is what the machine does', () => {
  const VALUES = [0, 1, -1, 0x80000000 | 0, 31, 32];
  // Only forms on registers alone: memory, privilege and control transfers leave a run anyway (mayLeave).
  for (const t of REGISTER_FORMS) {
    it(`\`${t.syntax}\` ${t.def.canFault ? 'faults for some operands' : 'never faults'}`, () => {
      // Every pair of values; the handler counts faults and resumes after the instruction.
      const lines = VALUES.flatMap((x) => VALUES.map((y) => {
        let regs = 0;
        return `    mov r1, ${x}\n    mov r2, ${y}\n    ${t.def.mnemonic} ${t.form.operands.map((k) => (k === 'imm' ? `${y}` : regs++ === 0 ? 'r1' : 'r2')).join(', ')}`;
      }));
      const handler = `    ld r10, [0x6100]\n    add r10, 1\n    st [0x6100], r10\n    ld r10, [sp + 8]\n    add r10, ${t.form.words * 4}\n    st [sp + 8], r10\n    iret`;
      const f = cpu(trapKernel(`${lines.join('\n')}\n    ld r0, [0x6100]\n    out 0xF4, r0`, { handler }), { memory: 1 << 20 }).run().expectStop('poweroff');
      assert.strictEqual(f.m.exitCode > 0, t.def.canFault === true, `${f.m.exitCode} faults`);
    });
  }
});

describe('instruction table: sensitive is what the machine does', () => {
  // Popek-Goldberg, for what runs at CPL 3 without trapping: control-sensitive if it changes IF or
  // the CPL, behaviour-sensitive if what it does depends on them. A trap hands control to the
  // kernel (or the hypervisor) in every mode: int, syscall and brk are left out.
  const CONFIGS = [0, 3].flatMap((ring) => [0, 0x200].map((ifBit) => ({ ring, ifBit })));
  const ifCpl = (status: number) => status & (isa.Status.IF | isa.Status.CPL_MASK);
  for (const t of ALL_FORMS.filter((x) => x.def.privileged !== 'vmx-root' && x.def.flow !== 'trap')) {
    for (const insn of operandLists(t, 3)) {
      if (t.def.privileged === 'cpl0' || (t.def.privileged === 'cpl0-but-status' && !insn.endsWith(', status'))) continue;
      it(`\`${insn}\` is ${t.def.sensitive ?? 'not'} sensitive`, () => {
        const runs = CONFIGS.map(({ ring, ifBit }) => ({ before: (ring << 12) | ifBit, out: runAt(insn, ring, ifBit) }));
        const control = runs.some((r) => ifCpl(r.out.status) !== r.before);
        const seen = runs.map((r) => JSON.stringify({ ...r.out, status: r.out.status & 0xf }));
        const behaviour = seen.some((s) => s !== seen[0]);
        assert.strictEqual(t.def.sensitive, control ? 'control' : behaviour ? 'behaviour' : null, seen.join('\n'));
      });
    }
  }

  it('every privileged instruction is sensitive (it guards what a hypervisor must keep)', () => {
    for (const d of INSTRUCTIONS) if (d.privileged !== 'none') assert.ok(d.sensitive !== null, d.mnemonic);
  });
});
