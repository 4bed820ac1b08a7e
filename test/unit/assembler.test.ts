import * as assert from 'assert';
import { encode } from '../../emulator/isa/codec';
import { Op } from '../../emulator/isa/opcodes';
import { FORM_BY_OPCODE, instructionByName } from '../../emulator/isa/table';
import { X86_MOV_AS, x86Mnemonics } from '../../language/x86';
import { AssembleResult, assemble, assembleText } from '../../language/assembler';
import { memoryHost } from '../../language/memoryHost';

/** Little-endian words of a segment. */
function words(r: AssembleResult, seg = 0): number[] {
  const b = r.segments[seg].bytes;
  const out: number[] = [];
  for (let i = 0; i + 4 <= b.length; i += 4) out.push((b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0);
  return out;
}

/** Expected encoding of one form, from the shared codec. */
function enc(op: Op, ...ops: { reg?: number; imm?: number }[]): number[] {
  const f = FORM_BY_OPCODE[op]!.form;
  return encode(f, ops.map((o, i) => ({ kind: f.operands[i], reg: o.reg ?? 0, imm: o.imm ?? 0 }))).map((w) => w >>> 0);
}

/** [code, line, col, endCol] of every diagnostic (0-based). */
function diags(r: AssembleResult): [string, number, number, number][] {
  return r.diagnostics.map((d) => [d.code, d.line, d.col, d.endCol]);
}

function ok(text: string): AssembleResult {
  const r = assembleText(text);
  assert.deepStrictEqual(r.diagnostics.map((d) => `${d.line + 1}:${d.col + 1} ${d.message}`), []);
  assert.ok(r.ok);
  return r;
}

describe('assembler: encoding', () => {
  it('encodes each operand kind through the codec', () => {
    const r = ok(
      [
        'mov r1, r2',
        'mov sp, 0x1234',
        'ld r3, [fp]',
        'ld r3, [r4 + 8]',
        'st [r4 - 8], r5',
        'stb [0x100], r6',
        'rdsr r1, cr3',
        'vmwrite guest_pc, r2',
        'in r7, 0x11',
        'out 0x10, r7',
        'int 0x80',
        'jmp r9',
        'je 0',
        'pushf',
      ].join('\n'),
    );
    assert.deepStrictEqual(words(r), [
      ...enc(Op.MOV_RR, { reg: 1 }, { reg: 2 }),
      ...enc(Op.MOV_RI, { reg: 15 }, { imm: 0x1234 }),
      ...enc(Op.LD_MR, { reg: 3 }, { reg: 14 }),
      ...enc(Op.LD_MD, { reg: 3 }, { reg: 4, imm: 8 }),
      ...enc(Op.ST_MD, { reg: 4, imm: -8 }, { reg: 5 }),
      ...enc(Op.STB_MA, { imm: 0x100 }, { reg: 6 }),
      ...enc(Op.RDSR, { reg: 1 }, { imm: 3 }),
      ...enc(Op.VMWRITE, { imm: 1 }, { reg: 2 }),
      ...enc(Op.IN, { reg: 7 }, { imm: 0x11 }),
      ...enc(Op.OUT, { imm: 0x10 }, { reg: 7 }),
      ...enc(Op.INT, { imm: 0x80 }),
      ...enc(Op.JMP_R, { reg: 9 }),
      ...enc(Op.JZ_I, { imm: 0 }),
      ...enc(Op.PUSHF),
    ]);
  });

  it('resolves forward and backward labels to link addresses', () => {
    const r = ok('_start: jmp end\nmid: nop\nend: call mid');
    assert.deepStrictEqual(words(r), [...enc(Op.JMP_I, { imm: 12 }), ...enc(Op.NOP), ...enc(Op.CALL_I, { imm: 8 })]);
    assert.strictEqual(r.symbols.get('end')!.value, 12);
  });

  it('lets a system-register name stand for a label where a value is wanted', () => {
    const r = ok('jmp ksp\nld r1, [ksp]\nksp: .word 7');
    assert.deepStrictEqual(words(r), [...enc(Op.JMP_I, { imm: 16 }), ...enc(Op.LD_MA, { reg: 1 }, { imm: 16 }), 7]);
  });
});

describe('assembler: directives', () => {
  it('.word, .byte, .ascii, .asciz and .space emit data unaligned', () => {
    const r = ok('.byte 1, -1, \'A\', 255\n.word 0x11223344\n.ascii "a\\n"\n.asciz "b"\n.space 3\n.byte 9');
    assert.deepStrictEqual([...r.segments[0].bytes], [1, 255, 65, 255, 0x44, 0x33, 0x22, 0x11, 97, 10, 98, 0, 0, 0, 0, 9]);
  });

  it('.align pads to a power of two; instructions align themselves to 4', () => {
    const r = ok('.byte 1\n.align 8\n.byte 2\nlbl:\n  nop');
    assert.deepStrictEqual([...r.segments[0].bytes], [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, ...enc(Op.NOP).flatMap((w) => [w & 255, (w >>> 8) & 255, (w >>> 16) & 255, w >>> 24])]);
    assert.strictEqual(r.symbols.get('lbl')!.value, 12, 'a label on the line before an instruction gets the aligned address');
    assert.deepStrictEqual(r.sourceMap.lookup(9), undefined, 'padding is not mapped');
  });

  it('.equ defines constants, also from later labels', () => {
    const r = ok('.equ SIZE, end - start\n.equ TWICE, SIZE * 2\nstart: .word SIZE, TWICE\nend:');
    assert.deepStrictEqual(words(r), [8, 16]);
    assert.strictEqual(r.symbols.get('SIZE')!.kind, 'equ');
  });

  it('a long chain of forward .equ references is resolved in linear time', () => {
    // `.equ A0, A1 + 1` ... `.equ A20000, 0`: each constant resolved once, not the chain re-walked per link.
    const n = 20_000;
    let text = '';
    for (let i = 0; i < n; i++) text += `.equ A${i}, A${i + 1} + 1\n`;
    const r = ok(`${text}.equ A${n}, 0\n.word A0, A${n / 2}`);
    assert.deepStrictEqual(words(r), [n, n / 2]);
  });

  it('.org LOAD, LINK: load at LOAD, labels relative to LINK', () => {
    const r = ok('.org 0x1000, 0xC0001000\n_start: jmp here\nhere: .word here\n.org 0x2000\nlow: .word low');
    assert.deepStrictEqual(
      r.segments.map((s) => [s.load, s.link, s.bytes.length]),
      [
        [0x1000, 0xc0001000, 12],
        [0x2000, 0x2000, 4],
      ],
    );
    assert.deepStrictEqual(words(r, 0), [...enc(Op.JMP_I, { imm: 0xc0001008 | 0 }), 0xc0001008]);
    assert.strictEqual(r.entry, 0xc0001000);
    assert.strictEqual(r.symbols.get('here')!.load, 0x1008);
    // The source map is keyed by physical address and keeps the link address.
    assert.deepStrictEqual(r.sourceMap.lookup(0x1004), { file: 'main.rasm', line: 1, pa: 0x1000, la: 0xc0001000, instruction: true });
    assert.strictEqual(r.sourceMap.lookup(0xc0001000), undefined);
    assert.strictEqual(r.sourceMap.linkAddress(0x1008), 0xc0001008);
  });

  it('entry is _start, else the first emitted item (an instruction after its alignment padding)', () => {
    assert.strictEqual(ok('.org 0x500\nnop\n_start: nop').entry, 0x504);
    assert.strictEqual(ok('.org 0x500, 0x9000\n.word 1').entry, 0x9000);
    assert.strictEqual(ok('.org 0x1002\nmov r1, 5').entry, 0x1004);
  });

  it('a label before an .include, or at the end of an included file, binds after the next instruction\'s padding', () => {
    const r = assembleText('msg: .byte 65\n_start:\n.include "code.rasm"\n.include "tail.rasm"\n    nop', 'main.rasm', { 'code.rasm': '    mov r1, 3', 'tail.rasm': 'd: .byte 1\nlast:' });
    assert.deepStrictEqual(r.diagnostics, []);
    assert.deepStrictEqual([r.entry, r.symbols.get('last')!.value], [4, 16]);
  });

  it('[reg - a + b] is reg + (-a + b): the minus starts the displacement, it does not negate the rest', () => {
    const r = ok('ld r1, [r2 - 4 + 8]\nld r1, [r2 - (2 + 2)]\nld r1, [r2 + 4 - 8]\nld r1, [r2 - 2 * 3]');
    assert.deepStrictEqual([1, 3, 5, 7].map((k) => words(r)[k] | 0), [4, -4, -4, -6]);
  });

  it('a byte-order mark before the first line is not part of it', () => {
    assert.strictEqual(ok('\ufeff_start: nop').symbols.get('_start')!.value, 0);
  });

  it('a program that includes files over and over is refused once, at the include past the limit', () => {
    const files: Record<string, string> = { 'f30.rasm': 'nop' };
    for (let i = 0; i < 30; i++) files[`f${i}.rasm`] = `.include "f${i + 1}.rasm"\n.include "f${i + 1}.rasm"`;
    const r = assembleText('_start: nop\n.include "f0.rasm"', 'main.rasm', files);
    assert.deepStrictEqual(r.diagnostics.map((d) => d.code), ['program-too-large']);
    assert.match(r.diagnostics[0].message, /past 10000 includes/);
  });

  it('.include is relative to the including file and shares symbols', () => {
    const host = memoryHost({
      '/p/main.rasm': '.include "lib/util.rasm"\n_start: call helper\n',
      '/p/lib/util.rasm': '.include "consts.rasm"\nhelper: mov r1, K\n.l: ret\n',
      '/p/lib/consts.rasm': '.equ K, 5\n',
    });
    const r = assemble('/p/main.rasm', host);
    assert.deepStrictEqual(r.diagnostics, []);
    assert.deepStrictEqual(r.files, ['/p/main.rasm', '/p/lib/util.rasm', '/p/lib/consts.rasm']);
    assert.strictEqual(r.symbols.get('helper.l')!.file, '/p/lib/util.rasm');
    assert.deepStrictEqual(r.sourceMap.lookup(0), { file: '/p/lib/util.rasm', line: 1, pa: 0, la: 0, instruction: true });
    assert.deepStrictEqual(words(r).slice(0, 2), enc(Op.MOV_RI, { reg: 1 }, { imm: 5 }));
  });

  it('assembleText resolves includes against an in-memory map', () => {
    const r = assembleText('.include "inc.rasm"\n.word X', 'main.rasm', { 'inc.rasm': '.equ X, 3' });
    assert.ok(r.ok);
    assert.deepStrictEqual(words(r), [3]);
  });

  it('.ring is recorded per line and emits nothing', () => {
    const r = ok('.ring 0\nnop\n.ring 3\nnop');
    assert.deepStrictEqual(r.rings, [
      { file: 'main.rasm', line: 0, ring: 0 },
      { file: 'main.rasm', line: 2, ring: 3 },
    ]);
    assert.strictEqual(r.segments[0].bytes.length, 8);
  });

  it('directives and mnemonics are case-insensitive, labels are not', () => {
    const r = ok('.WORD Lbl\nLbl: NOP\nlbl: Nop');
    assert.deepStrictEqual([r.symbols.get('Lbl')!.value, r.symbols.get('lbl')!.value], [4, 8]);
  });
});

describe('assembler: local labels', () => {
  it('scopes .names to the preceding global label', () => {
    const r = ok('a: jmp .x\n.x: nop\nb: jmp .x\n.x: jmp a.x');
    assert.deepStrictEqual([r.symbols.get('a.x')!.value, r.symbols.get('b.x')!.value], [8, 20]);
    assert.deepStrictEqual(words(r), [...enc(Op.JMP_I, { imm: 8 }), ...enc(Op.NOP), ...enc(Op.JMP_I, { imm: 20 }), ...enc(Op.JMP_I, { imm: 8 })]);
  });

  it('an included file has its own scope; the includer keeps its own', () => {
    const r = assembleText('f: nop\n.include "i.rasm"\n.y: jmp .y', 'main.rasm', { 'i.rasm': '.y: nop' });
    assert.ok(r.ok);
    assert.ok(r.symbols.has('.y') && r.symbols.has('f.y'));
  });

  it('reports an undefined local label with its full name', () => {
    const r = assembleText('g: jmp .nope');
    assert.deepStrictEqual(diags(r), [['undefined-symbol', 0, 7, 12]]);
    assert.match(r.diagnostics[0].message, /'\.nope' \(g\.nope\)/);
  });
});

describe('assembler: diagnostics (exact ranges)', () => {
  const one = (text: string) => diags(assembleText(text));

  it('unknown mnemonic, with did-you-mean', () => {
    const r = assembleText('  movv r1, 2');
    assert.deepStrictEqual(diags(r), [['unknown-mnemonic', 0, 2, 6]]);
    assert.match(r.diagnostics[0].message, /did you mean 'mov'/);
  });

  it('wrong operand count lists the accepted forms', () => {
    const r = assembleText('add r1');
    assert.deepStrictEqual(diags(r), [['operand-count', 0, 4, 6]]);
    assert.match(r.diagnostics[0].message, /add rd, rs \| add rd, imm/);
    assert.deepStrictEqual(one('ret r1'), [['operand-count', 0, 4, 6]]);
  });

  it('wrong operand kind points at the operand', () => {
    const r = assembleText('ld r1, r2');
    assert.deepStrictEqual(diags(r), [['operand-kind', 0, 7, 9]]);
    assert.match(r.diagnostics[0].message, /must be a memory operand.*ld rd, \[rb\] \| ld rd, \[rb \+ disp\] \| ld rd, \[addr\]/);
    assert.deepStrictEqual(one('mov 5, r1'), [['operand-kind', 0, 4, 5]]);
    assert.deepStrictEqual(one('rdsr r1, r2'), [['operand-kind', 0, 9, 11]]);
    assert.deepStrictEqual(one('jmp [r1]'), [['operand-kind', 0, 4, 8]]);
  });

  it('a name where a register, a VMCS field or a system register goes says what it is not, with the nearest names', () => {
    const msg = (text: string) => {
      const r = assembleText(text);
      assert.strictEqual(r.diagnostics.length, 1, text);
      return r.diagnostics[0].message;
    };
    // Shaped like a register R32 does not have: said so in the operand's error and in the undefined-name error.
    assert.match(msg('add r16, 1'), /must be a register, found 'r16', which is not a register \(R32 has r0 to r15; sp is r15, fp is r14\)/);
    assert.match(msg('mov r01, 2'), /found 'r01', which is not a register/);
    assert.match(msg('mov r1, r16'), /undefined label or constant 'r16': R32 has no such register \(r0 to r15/);
    assert.match(msg('vmread r1, guest_cpc'), /found 'guest_cpc', which is not a VMCS field name; accepted: vmread rd, FIELD; did you mean 'guest_pc'/);
    assert.match(msg('rdsr r1, cr4'), /found 'cr4', which is not a system register; accepted: rdsr rd, SR; did you mean 'cr0'/);
    // A label is still just an expression, and a name far from any other gets no suggestion.
    assert.match(msg('x: add x, 1'), /must be a register, found an expression;/);
    assert.doesNotMatch(msg('vmwrite bogus, r1'), /did you mean/);
    assert.deepStrictEqual(one('mov r1, rx'), [['undefined-symbol', 0, 8, 10]]);
    assert.doesNotMatch(assembleText('mov r1, rx').diagnostics[0].message, /register/);
  });

  it('operands written the other way round are said to fit so', () => {
    const r = assembleText('st r1, [r2]');
    assert.deepStrictEqual(diags(r), [['operand-kind', 0, 3, 5]]);
    assert.match(r.diagnostics[0].message, /must be a memory operand, found a register; accepted: st \[rb\], rs .*; the two operands fit the other way round$/);
    assert.match(assembleText('mov 5, r1').diagnostics[0].message, /the other way round$/);
    assert.doesNotMatch(assembleText('ld r1, r2').diagnostics[0].message, /other way round/);
  });

  it("x86 habits say what R32 writes instead: inc, lea, mov of memory or a system register", () => {
    const msg = (text: string) => assembleText(text).diagnostics.map((d) => d.message).join('\n');
    assert.strictEqual(msg('inc r1'), "unknown instruction 'inc': where x86 has inc, R32 writes add rd, 1");
    assert.match(msg('lea r1, [r2 + 4]'), /where x86 has lea, R32 writes mov rd, label/);
    assert.match(msg('mov [r1], r2'), /accepted: mov rd, rs \| mov rd, imm; R32's mov moves only registers and values: write st here/);
    assert.match(msg('mov r1, [r2]'), /write ld here/);
    // Not "the operands fit the other way round": mov r1, cr3 fits only as a name, which is wrsr's job.
    assert.match(msg('mov cr3, r1'), /accepted: mov rd, rs \| mov rd, imm; R32's mov moves only registers and values: write wrsr here/);
    assert.match(msg('mov r1, cr2'), /undefined label or constant 'cr2': cr2 is a system register, read with rdsr and written with wrsr/);
    assert.match(msg('mov r1, guest_pc'), /guest_pc is a VMCS field, read with vmread and written with vmwrite/);
    // A label that happens to be called ivt is still a label.
    assert.strictEqual(msg('ivt: mov r1, ivt'), '');
    assert.match(msg('movl r1, r2'), /unknown instruction 'movl'; did you mean 'mov'/);
    assert.match(msg('jmp [r2 + 4]'), /found a memory operand; accepted: jmp target \| jmp rs; R32 does not jump through memory: ld a register from it, then jmp to that register$/);
    assert.match(msg('call [r1]'), /then call to that register$/);
    assert.doesNotMatch(msg('push [r1]'), /jump through memory/);
  });

  it('the x86 table names only what R32 does not have, and only R32 mnemonics to write instead', () => {
    const named = x86Mnemonics();
    assert.ok(named.length > 20);
    for (const { x86, as } of named) {
      assert.strictEqual(instructionByName(x86), undefined, `${x86} is an R32 instruction`);
      if (as) assert.ok(instructionByName(as), `${x86}: ${as} is no R32 instruction`);
    }
    for (const m of X86_MOV_AS) assert.ok(instructionByName(m), m);
  });

  it('values out of range: ports, vectors, .byte', () => {
    assert.deepStrictEqual(one('in r1, 0x10000'), [['value-out-of-range', 0, 7, 14]]);
    assert.deepStrictEqual(one('out -1, r1'), [['value-out-of-range', 0, 4, 6]]);
    assert.deepStrictEqual(one('int 256'), [['value-out-of-range', 0, 4, 7]]);
    assert.deepStrictEqual(one('.byte 1, 256, -129'), [
      ['value-out-of-range', 0, 9, 12],
      ['value-out-of-range', 0, 14, 18],
    ]);
    assert.deepStrictEqual(one('.space -1'), [['value-out-of-range', 0, 7, 9]]);
    assert.deepStrictEqual(one('.align 3'), [['value-out-of-range', 0, 7, 8]]);
    assert.deepStrictEqual(one('.ring 4'), [['value-out-of-range', 0, 6, 7]]);
  });

  it('undefined label', () => {
    assert.deepStrictEqual(one('mov r1, nowhere + 1'), [['undefined-symbol', 0, 8, 15]]);
  });

  it('duplicate label points at both definitions', () => {
    const r = assembleText('x: nop\n  x: nop');
    assert.deepStrictEqual(diags(r), [
      ['duplicate-label', 0, 0, 1],
      ['duplicate-label', 1, 2, 3],
    ]);
    assert.deepStrictEqual(r.diagnostics[1].related?.map((x) => [x.line, x.col]), [[0, 0]]);
    assert.deepStrictEqual(one('.equ A, 1\n.equ A, 2').map((d) => d[0]), ['duplicate-label', 'duplicate-label']);
  });

  it('unknown and malformed directives', () => {
    const r = assembleText('.wrod 1');
    assert.deepStrictEqual(diags(r), [['unknown-directive', 0, 0, 5]]);
    assert.match(r.diagnostics[0].message, /did you mean '\.word'/);
    assert.deepStrictEqual(one('.ascii 5'), [['bad-directive', 0, 7, 8]]);
    assert.deepStrictEqual(one('.word "s"'), [['bad-directive', 0, 6, 9]]);
    assert.deepStrictEqual(one('.equ r1, 5'), [['bad-directive', 0, 5, 7]]);
    assert.deepStrictEqual(one('.org'), [['bad-directive', 0, 0, 4]]);
    assert.deepStrictEqual(one('.include 5'), [['bad-directive', 0, 9, 10]]);
  });

  it('missing include and include cycles', () => {
    assert.deepStrictEqual(one('nop\n.include "nope.rasm"'), [['missing-include', 1, 0, 20]]);
    const r = assembleText('.include "b.rasm"', 'a.rasm', { 'b.rasm': 'nop\n .include "a.rasm"' });
    assert.deepStrictEqual(diags(r), [['include-cycle', 1, 1, 18]]);
    assert.strictEqual(r.diagnostics[0].file, 'b.rasm');
    assert.match(r.diagnostics[0].message, /a\.rasm → b\.rasm → a\.rasm/);
  });

  it('overlapping .org regions', () => {
    const r = assembleText('.org 0x100\n.space 16\n.org 0x108, 0x5000\n.word 1');
    assert.deepStrictEqual(diags(r), [['org-overlap', 2, 0, 18]]);
    assert.deepStrictEqual(r.diagnostics[0].related?.map((x) => x.line), [0]);
    assert.ok(assembleText('.org 0x100\n.space 16\n.org 0x110\n.word 1').ok, 'adjacent regions are fine');
  });

  it('division by zero in an expression', () => {
    assert.deepStrictEqual(one('mov r1, 4 / (1 - 1)'), [['division-by-zero', 0, 12, 19]]);
    assert.deepStrictEqual(one('.equ Z, 0\n.word 1 % Z'), [['division-by-zero', 1, 10, 11]]);
  });

  it('bad string escapes', () => {
    assert.deepStrictEqual(one('.ascii "a\\x"'), [['bad-escape', 0, 9, 11]]);
  });

  it('wrsr status is refused', () => {
    const r = assembleText('wrsr STATUS, r1');
    assert.deepStrictEqual(diags(r), [['status-not-writable', 0, 5, 11]]);
    assert.strictEqual(r.diagnostics[0].message, 'status cannot be written whole; use popf or iret');
  });

  it('layout values may not use later symbols', () => {
    assert.deepStrictEqual(one('.space N\n.equ N, 4'), [['forward-reference', 0, 7, 8]]);
    assert.deepStrictEqual(one('.org X'), [['undefined-symbol', 0, 5, 6]]);
    assert.deepStrictEqual(one('.equ A, B\n.equ B, A'), [
      ['circular-equ', 0, 8, 9],
      ['circular-equ', 1, 8, 9],
    ]);
  });

  it('reports every problem, not just the first', () => {
    const r = assembleText('foo\nadd r1\n.byte 999\njmp nowhere\nx:\nx:');
    assert.deepStrictEqual(
      r.diagnostics.map((d) => d.code),
      ['unknown-mnemonic', 'operand-count', 'value-out-of-range', 'undefined-symbol', 'duplicate-label', 'duplicate-label'],
    );
    assert.strictEqual(r.ok, false);
  });

  it('a missing entry file is a diagnostic', () => {
    const r = assemble('/nope.rasm', memoryHost({}));
    assert.deepStrictEqual(diags(r), [['missing-file', 0, 0, 0]]);
  });

  it('never throws, whatever the input', () => {
    let junk = '';
    for (let i = 0; i < 300_000; i++) junk += String.fromCharCode((i * 2654435761) % 256);
    const r = assembleText(junk);
    assert.strictEqual(r.ok, false);
    for (const bad of ['"', "'", '[', '((((', ']', ':', '.org 0xFFFFFFFF\n.space 8', '.equ', 'mov r1, [', '\u0000\uffff']) {
      assert.doesNotThrow(() => assembleText(bad), bad);
    }
    assert.deepStrictEqual(diags(assembleText('.org 0xFFFFFFFF\n.space 8')).map((d) => d[0]), ['address-overflow']);
    assert.deepStrictEqual(diags(assembleText('nop\n.word ' + '1,'.repeat(60_000) + '1')), [['line-too-long', 1, 0, 120_007]]);
  });

  it('4 GiB of .space is an address-overflow error at the region, not a crash allocating it', () => {
    const r = assembleText('.org 0\n_start: hlt\n' + '.space 0x1000000\n'.repeat(256));
    assert.deepStrictEqual(diags(r), [['address-overflow', 0, 0, 6]]);
    assert.deepStrictEqual(r.segments, []);
  });

  it('caps the diagnostics of one file', () => {
    const r = assembleText('bogus\n'.repeat(5000));
    assert.strictEqual(r.diagnostics.length, 1000);
    assert.strictEqual(r.diagnostics[999].code, 'too-many-problems');
  });
});

describe('source map', () => {
  const r = ok('.org 0x100\nstart: mov r1, 1\n  nop\nmsg: .ascii "hey"\n  .space 0\n  nop');

  it('looks up every byte of instructions and data by physical address', () => {
    assert.deepStrictEqual(r.sourceMap.lookup(0x104)?.line, 1);
    assert.deepStrictEqual(r.sourceMap.lookup(0x108)?.line, 2);
    assert.deepStrictEqual(r.sourceMap.lookup(0x10e), { file: 'main.rasm', line: 3, pa: 0x10c, la: 0x10c, instruction: false });
    assert.strictEqual(r.sourceMap.lookup(0x10f), undefined, 'alignment padding');
    assert.strictEqual(r.sourceMap.lookup(0xff), undefined);
    assert.strictEqual(r.sourceMap.lookup(0x114), undefined);
  });

  it('knows where instructions start and which lines have code', () => {
    assert.ok(r.sourceMap.instructionAt(0x100));
    assert.ok(!r.sourceMap.instructionAt(0x104), 'second word of mov');
    assert.ok(!r.sourceMap.instructionAt(0x10c), 'data');
    assert.deepStrictEqual(r.sourceMap.addressesForLine('main.rasm', 5), [0x110]);
    assert.deepStrictEqual(r.sourceMap.addressesForLine('main.rasm', 3), []);
    assert.deepStrictEqual(r.sourceMap.instructionLines('main.rasm'), [1, 2, 5]);
  });
});

describe('assembler: large input', () => {
  // Speed is measured by `npm run bench:lsp`, not here: a timed test fails on a busy machine.
  it('assembles 10,000 lines with every label and local label resolved', () => {
    const lines: string[] = ['_start:'];
    for (let i = 0; i < 2000; i++) lines.push(`f${i}: mov r1, f${i} + 4 ; comment`, '  ld r2, [r1 + 8]', '.l: add r2, (3 << 2) | 1', '  jnz .l', ' .word 1, 2, 3');
    const r = assembleText(lines.join('\n'));
    assert.ok(r.ok, r.diagnostics.slice(0, 3).map((d) => d.message).join('; '));
    assert.ok(r.symbols.has('f1999') && r.symbols.has('f1999.l'));
    assert.strictEqual(r.symbols.get('f1.l')!.value - r.symbols.get('f0.l')!.value, r.symbols.get('f1')!.value - r.symbols.get('f0')!.value);
  });
});
