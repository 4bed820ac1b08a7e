import * as assert from 'assert';
import { decode, encode, formatInstruction, Operand } from '../../emulator/isa/codec';
import { SYSTEM_REGISTERS, SysReg, VMCS_FIELDS } from '../../emulator/isa/registers';
import { FORM_BY_OPCODE, INSTRUCTIONS, OperandKind } from '../../emulator/isa/table';
import { Op } from '../../emulator/isa/opcodes';
import { assembleText } from '../../language/assembler';
import { disassemble, formatDisassembly } from '../../language/disassembler';

const SAMPLES: Record<OperandKind, { reg: number; imm: number }[]> = {
  reg: [0, 1, 7, 14, 15].map((reg) => ({ reg, imm: 0 })),
  imm: [0, 5, -1, -4095, 4096, 0x7fffffff, -0x80000000, 0xc0001000 | 0].map((imm) => ({ reg: 0, imm })),
  mreg: [0, 9, 15].map((reg) => ({ reg, imm: 0 })),
  mdisp: [
    [1, 0],
    [15, -4],
    [14, 8],
    [3, 0x7fffffff],
    [4, -0x80000000],
  ].map(([reg, imm]) => ({ reg, imm })),
  mabs: [0, 0x100, -1, 0xc0000000 | 0].map((imm) => ({ reg: 0, imm })),
  sreg: SYSTEM_REGISTERS.map((s) => ({ reg: 0, imm: s.id })),
  field: VMCS_FIELDS.map((f) => ({ reg: 0, imm: f.id })),
  port: [0, 0x10, 0xf4, 0xffff].map((imm) => ({ reg: 0, imm })),
  vector: [0, 3, 0x80, 255].map((imm) => ({ reg: 0, imm })),
};

function wordsOf(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push((bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0);
  return out;
}

function toBytes(words: number[]): Uint8Array {
  const b = new Uint8Array(words.length * 4);
  words.forEach((w, i) => {
    b[i * 4] = w & 255;
    b[i * 4 + 1] = (w >>> 8) & 255;
    b[i * 4 + 2] = (w >>> 16) & 255;
    b[i * 4 + 3] = w >>> 24;
  });
  return b;
}

describe('disassembler: round trip over every form', () => {
  for (const def of INSTRUCTIONS) {
    def.forms.forEach((form, index) => {
      it(`${def.mnemonic} ${def.syntax[index]} (0x${form.op.toString(16)})`, () => {
        // Enough operand combinations to use every sample of every slot at least once.
        const n = Math.max(1, ...form.operands.map((k) => SAMPLES[k].length));
        let checked = 0;
        for (let k = 0; k < n; k++) {
          const ops: Operand[] = form.operands.map((kind, i) => {
            const list = SAMPLES[kind];
            return { kind, ...list[(k + i) % list.length] };
          });
          // wrsr status has no encoding (trap 6): the assembler refuses it too.
          if (form.op === Op.WRSR && ops[0].imm === SysReg.STATUS) continue;
          const words = encode(form, ops).map((w) => w >>> 0);
          assert.strictEqual(words.length, form.words);
          const d = decode(words[0], words[1] ?? 0);
          assert.ok(d, `decodes ${words.map((w) => w.toString(16))}`);
          assert.strictEqual(d.form, form);
          assert.deepStrictEqual(
            d.operands.map((o) => [o.kind, o.reg, o.imm | 0]),
            ops.map((o) => [o.kind, o.reg, o.imm | 0]),
          );
          const text = formatInstruction(d);
          const r = assembleText(text);
          assert.deepStrictEqual(r.diagnostics.map((x) => x.message), [], text);
          assert.deepStrictEqual(wordsOf(r.segments[0].bytes), words, text);
          // The library's disassembler says the same and marks it defined.
          const lines = disassemble(toBytes(words), 0);
          assert.deepStrictEqual(lines.map((l) => [l.text, l.defined, l.length]), [[text, true, form.words * 4]]);
          checked++;
        }
        assert.ok(checked > 0);
      });
    });
  }

  it('every mnemonic alias assembles to its instruction', () => {
    for (const def of INSTRUCTIONS) {
      for (const alias of def.aliases) {
        const a = assembleText(`${alias} 0x40`);
        const b = assembleText(`${def.mnemonic} 0x40`);
        assert.deepStrictEqual([...a.segments[0].bytes], [...b.segments[0].bytes], alias);
      }
    }
  });
});

describe('disassembler: undefined encodings and symbols', () => {
  const undefinedWords = [
    0x00000000, // opcode 0
    0x000000ff, // unused opcode
    0x00000003, // hole between MOV_RI and LD_MR
    Op.NOP | (1 << 8), // NOP with A set
    Op.MOV_RR | (5 << 16), // MOV rr with X set
    Op.WRSR | (SysReg.STATUS << 16) | (1 << 12), // wrsr status, r1
    Op.RDSR | (1 << 8) | (SYSTEM_REGISTERS.length << 16), // unknown system register
    Op.VMREAD | (1 << 8) | (VMCS_FIELDS.length << 16), // unknown field
  ];

  it('shows undefined encodings as .word, which assembles back to the same word', () => {
    for (const w of undefinedWords) {
      assert.strictEqual(decode(w, 0), undefined, w.toString(16));
      const [line] = disassemble(toBytes([w]), 0x1000);
      assert.strictEqual(line.defined, false);
      assert.strictEqual(line.text, `.word 0x${w.toString(16).padStart(8, '0')}`);
      assert.deepStrictEqual(wordsOf(assembleText(line.text).segments[0].bytes), [w]);
    }
  });

  it('a two-word instruction cut off at the end is data; a partial word is .byte', () => {
    const bytes = new Uint8Array([...toBytes([Op.MOV_RI | (1 << 8)]), 0xaa, 0xbb]);
    const lines = disassemble(bytes, 0);
    assert.deepStrictEqual(lines.map((l) => l.text), ['.word 0x00000102', '.byte 0xaa, 0xbb']);
  });

  it('names jump targets and absolute addresses from the symbols, not plain immediates', () => {
    const r = assembleText('_start: mov r1, 8\nloop: jmp loop\n.x: call _start\nld r2, [loop]\njmp r3');
    assert.ok(r.ok);
    const lines = disassemble(r.segments[0].bytes, r.segments[0].link, r.symbols);
    assert.deepStrictEqual(lines.map((l) => l.text), ['mov r1, 8', 'jmp loop', 'call _start', 'ld r2, [loop]', 'jmp r3']);
    assert.deepStrictEqual(lines.map((l) => l.labels), [['_start'], ['loop'], ['loop.x'], [], []]);
    const text = formatDisassembly(lines);
    assert.ok(text.startsWith('_start:\n00000000  00000102 00000008  mov r1, 8\nloop:\n'), text);
    // Full local names assemble back.
    const again = assembleText(lines.map((l) => l.labels.map((n) => `${n}:\n`).join('') + l.text).join('\n'));
    assert.ok(again.ok);
    assert.deepStrictEqual([...again.segments[0].bytes], [...r.segments[0].bytes]);
  });
});

describe('disassembler: form table coverage', () => {
  it('every defined opcode is exercised above', () => {
    const defined = FORM_BY_OPCODE.filter((e) => e !== undefined).length;
    assert.strictEqual(defined, INSTRUCTIONS.reduce((n, d) => n + d.forms.length, 0));
  });
});
