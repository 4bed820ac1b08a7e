import * as assert from 'assert';
import { cpu } from './helpers/cpu';
import { ENGLISH } from '../../emulator/isa/vocabulary';

const off = '\n    out 0xF4, r0\n';

describe('CPU: instruction classes', () => {
  it('mov register and immediate forms', () => {
    cpu(`mov r1, 0x12345678\n mov r2, r1\n mov r3, -1\n mov r4, 'A'` + off).run().expectStop('poweroff')
      .expectReg('r1', 0x12345678).expectReg('r2', 0x12345678).expectReg('r3', 0xffffffff).expectReg('r4', 65);
  });

  it('ld/st words and ldb/stb bytes with every addressing form', () => {
    cpu(`
      mov r1, 0x100
      mov r2, 0xCAFEBABE
      st [r1], r2
      st [r1 + 8], r2
      st [0x200], r2
      ld r3, [r1]
      ld r4, [r1 + 8]
      ld r5, [0x200]
      mov r6, 0x1FF
      stb [r6], r2          ; low byte 0xBE at 0x1FF
      ldb r7, [r6]
      ldb r8, [r6 - 0xFC]   ; 0x1FF - 0xFC = 0x103: the top byte of the first word, zero-extended
      ldb r9, [0x100]
    ` + off).run().expectStop('poweroff')
      .expectReg('r3', 0xcafebabe).expectReg('r4', 0xcafebabe).expectReg('r5', 0xcafebabe)
      .expectReg('r7', 0xbe).expectReg('r8', 0xca).expectReg('r9', 0xbe);
  });

  it('unaligned word access assembles the bytes little-endian', () => {
    cpu(`mov r1, 0x101\n mov r2, 0x11223344\n st [r1], r2\n ld r3, [r1]\n ldb r4, [0x101]\n ldb r5, [0x104]` + off).run()
      .expectReg('r3', 0x11223344).expectReg('r4', 0x44).expectReg('r5', 0x11);
  });

  it('push/pop move sp by 4 and pop sp loads sp', () => {
    const f = cpu(`mov sp, 0x1000\n push 7\n mov r1, 9\n push r1\n pop r2\n pop r3\n mov r4, sp\n push 0x800\n pop sp` + off).run();
    f.expectReg('r2', 9).expectReg('r3', 7).expectReg('r4', 0x1000).expectReg('sp', 0x800);
  });

  const alu: [string, number, number, number, string][] = [
    ['add', 5, 7, 12, ''],
    ['add', 0xffffffff, 1, 0, 'ZC'],
    ['add', 0x7fffffff, 1, 0x80000000, 'NV'],
    ['sub', 5, 7, 0xfffffffe, 'NC'],
    ['sub', 7, 7, 0, 'Z'],
    ['sub', 0x80000000, 1, 0x7fffffff, 'V'],
    ['and', 0xf0f0, 0xff00, 0xf000, ''],
    ['or', 0xf0, 0x0f, 0xff, ''],
    ['xor', 0xff, 0xff, 0, 'Z'],
    ['shl', 0x80000001, 1, 2, 'C'],
    ['shr', 0x80000001, 1, 0x40000000, 'C'],
    ['sar', 0x80000000, 4, 0xf8000000, 'N'],
    ['shl', 3, 33, 6, ''], // the count is masked to 5 bits
    ['mul', 6, 7, 42, ''],
    ['mul', 0x10000, 0x10000, 0, 'ZCV'],
    ['div', 100, 7, 14, ''],
    ['div', 0xfffffffe, 2, 0x7fffffff, ''], // unsigned
    ['mod', 100, 7, 2, ''],
  ];
  for (const [op, x, y, want, flags] of alu) {
    it(`${op} 0x${x.toString(16)}, 0x${y.toString(16)} = 0x${want.toString(16)} flags '${flags}' (register and immediate forms)`, () => {
      cpu(`mov r1, ${x}\n mov r2, ${y}\n ${op} r1, r2` + off).run().expectReg('r1', want).expectFlags(flags);
      cpu(`mov r1, ${x}\n ${op} r1, ${y}` + off).run().expectReg('r1', want).expectFlags(flags);
    });
  }

  it('neg and not', () => {
    cpu(`mov r1, 5\n neg r1` + off).run().expectReg('r1', 0xfffffffb).expectFlags('NC');
    cpu(`mov r1, 0\n neg r1` + off).run().expectReg('r1', 0).expectFlags('Z');
    cpu(`mov r1, 0x80000000\n neg r1` + off).run().expectReg('r1', 0x80000000).expectFlags('NCV');
    cpu(`mov r1, 0\n not r1` + off).run().expectReg('r1', 0xffffffff).expectFlags('N');
  });

  it('cmp and test set flags without writing', () => {
    cpu(`mov r1, 3\n cmp r1, 5` + off).run().expectReg('r1', 3).expectFlags('NC');
    cpu(`mov r1, 6\n test r1, 1` + off).run().expectReg('r1', 6).expectFlags('Z');
  });

  // [a, b, jumps taken when comparing a with b]
  const conds: [number, number, string[]][] = [
    [1, 1, ['jz', 'je', 'jle', 'jge', 'jbe', 'jae']],
    [1, 2, ['jnz', 'jne', 'jl', 'jle', 'jb', 'jbe']],
    [2, 1, ['jnz', 'jne', 'jg', 'jge', 'ja', 'jae']],
    [-1, 1, ['jnz', 'jne', 'jl', 'jle', 'ja', 'jae']], // signed less, unsigned above
  ];
  const all = ['jz', 'je', 'jnz', 'jne', 'jl', 'jle', 'jg', 'jge', 'jb', 'jbe', 'ja', 'jae'];
  for (const [x, y, taken] of conds) {
    for (const j of all) {
      it(`${j} after cmp ${x}, ${y} is ${taken.includes(j) ? 'taken' : 'not taken'}`, () => {
        const src = `mov r1, ${x}\n mov r5, yes\n cmp r1, ${y}\n ${j} yes\n mov r0, 0\n out 0xF4, r0\nyes: mov r0, 1\n out 0xF4, r0`;
        cpu(src).run().expectExit(taken.includes(j) ? 1 : 0);
        const viaReg = `mov r1, ${x}\n mov r5, yes\n cmp r1, ${y}\n ${j} r5\n mov r0, 0\n out 0xF4, r0\nyes: mov r0, 1\n out 0xF4, r0`;
        cpu(viaReg).run().expectExit(taken.includes(j) ? 1 : 0);
      });
    }
  }

  it('call/ret through label and register, with the return address on the stack', () => {
    const f = cpu(`mov sp, 0x1000\n call f\n mov r5, g\n call r5\n out 0xF4, r0\nf: ld r1, [sp]\n add r0, 1\n ret\ng: add r0, 10\n ret`).run();
    f.expectExit(11);
    assert.strictEqual(f.m.register(1) >>> 0, 16, 'return address of the first call');
  });

  it('jmp to register and nop', () => {
    cpu(`mov r1, there\n jmp r1\n mov r0, 5\nthere: nop\n out 0xF4, r0`).run().expectExit(0);
  });

  it('executing zeroed memory is an undefined instruction (trap 6) and without an IVT a triple fault', () => {
    cpu(`jmp 0x3000`).run().expectStop('triple-fault');
  });

  it('the console port writes bytes and power-off stops with the code', () => {
    cpu(`mov r1, 'h'\n out 0x10, r1\n mov r1, 'i'\n out 0x10, r1\n mov r1, 3\n out 0xF4, r1`).run().expectOutput('hi').expectExit(3);
  });

  it('console input reads bytes in order, then -1', () => {
    cpu(`in r1, 0x11\n in r2, 0x11\n in r3, 0x11` + off, { stdin: 'ok' }).run().expectReg('r1', 111).expectReg('r2', 107).expectReg('r3', 0xffffffff);
  });

  it('an unknown port reads -1 and ignores writes', () => {
    cpu(`in r1, 0x99\n out 0x99, r1` + off).run().expectReg('r1', 0xffffffff).expectStop('poweroff');
  });

  it('stops on the step budget and resumes where it was', () => {
    const f = cpu(`loop: add r1, 1\n jmp loop`);
    f.run(100).expectStop('limit');
    assert.strictEqual(f.m.icount, 100);
    f.run(100);
    assert.strictEqual(f.m.register(1), 100);
  });

  it('hlt with interrupts disabled and no timer is a deadlock with a clear message', () => {
    const f = cpu(`hlt`).run().expectStop('deadlock');
    assert.match(ENGLISH.stop(f.m.stopCause), /interrupts disabled/);
  });
});
