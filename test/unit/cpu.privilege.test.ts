import * as assert from 'assert';
import { cpu, trapKernel } from './helpers/cpu';
import { isa } from '../../emulator';

/** Each privileged instruction with operands that are harmless at ring 0. */
const PRIVILEGED: Record<string, string> = {
  iret: 'iret',
  hlt: 'hlt',
  cli: 'cli',
  sti: 'sti',
  in: 'in r1, 0x11',
  out: 'out 0x99, r1',
  wrsr: 'wrsr cr2, r1',
  invlpg: 'invlpg r1',
  'rdsr cr0': 'rdsr r1, cr0',
  'rdsr cr3': 'rdsr r1, cr3',
};

describe('CPU: privilege and sensitivity (spec section 4)', () => {
  it('the table marks exactly the spec\'s privileged instructions', () => {
    const priv = isa.INSTRUCTIONS.filter((d) => d.privileged === 'cpl0').map((d) => d.mnemonic).sort();
    assert.deepStrictEqual(priv, ['cli', 'hlt', 'in', 'invlpg', 'iret', 'out', 'sti', 'wrsr']);
    assert.strictEqual(isa.instructionByName('rdsr')!.privileged, 'cpl0-but-status');
    assert.strictEqual(isa.instructionByName('popf')!.privileged, 'none');
    assert.strictEqual(isa.instructionByName('popf')!.sensitive, 'control');
    assert.strictEqual(isa.instructionByName('pushf')!.sensitive, 'behaviour');
  });

  for (const [name, ins] of Object.entries(PRIVILEGED)) {
    for (const ring of [1, 2, 3]) {
      it(`${name} at ring ${ring} raises #GP (13)`, () => {
        cpu(trapKernel(`    ${ins}\n    mov r0, 99\n    out 0xF4, r0`, { ring })).run().expectExit(13);
      });
    }
    if (name !== 'iret' && name !== 'hlt') {
      it(`${name} at ring 0 does not trap`, () => {
        cpu(trapKernel(`    mov r1, 0\n    ${ins}\n    mov r0, 99\n    out 0xF4, r0`, { ring: 0 })).run().expectExit(99);
      });
    }
  }

  for (const ring of [0, 1, 2, 3]) {
    it(`rdsr status works at ring ${ring} and reveals the real CPL`, () => {
      const f = cpu(trapKernel(`    rdsr r5, status\n    shr r5, 12\n    and r5, 3\n    st [0x6100], r5\n    int 0x30`, { ring, handler: '    ld r10, [0x6100]\n    out 0xF4, r10' })).run();
      f.expectExit(ring); // the handler reports the CPL that rdsr status saw
    });
  }

  it('popf at ring 1 silently leaves IF unchanged (no trap); flags still change', () => {
    const body = `    push 0x20F\n    popf\n    pushf\n    pop r5\n    st [0x6100], r5\n    hlt`;
    const f = cpu(trapKernel(body, { ring: 1, handler: '    ld r10, [0x6100]\n    out 0xF4, r10' })).run();
    // hlt at ring 1 traps; the handler reports what pushf saw: flags set, IF still 0
    f.expectExit(0x00f);
  });

  it('popf at ring 0 sets IF', () => {
    const body = `    push 0x200\n    popf\n    pushf\n    pop r5\n    out 0xF4, r5`;
    cpu(trapKernel(body, { ring: 0 })).run().expectExit(0x200);
  });

  it('pushf pushes the real IF: a deprivileged kernel sees that its cli had no effect on the real IF', () => {
    // ring 1 entered with IF = 1 in the iret frame; cli would trap, popf cannot clear it
    const src = trapKernel(`    push 0\n    popf\n    pushf\n    pop r5\n    st [0x6100], r5\n    hlt`, { ring: 1, handler: '    ld r10, [0x6100]\n    out 0xF4, r10' }).replace('push 4096', 'push 0x1200');
    cpu(src).run().expectExit(0x200);
  });

  for (const ins of ['vmptrld r1', 'vmread r1, guest_pc', 'vmwrite guest_pc, r1', 'vmlaunch', 'vmresume', 'vmcall']) {
    it(`${ins} outside ring 0 raises trap 6`, () => {
      cpu(trapKernel(`    ${ins}\n    hlt`, { ring: 3 })).run().expectExit(6);
    });
  }

  it('wrsr status is rejected by the assembler and undefined for the CPU (trap 6)', () => {
    // opcode WRSR with X = 0 (status), A = r1
    cpu(trapKernel(`    .word ${isa.Op.WRSR} | (1 << 8)\n    hlt`)).run().expectExit(6);
  });
});
