import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { flatImage, runAsm, runDisasm } from '../../cli/asm';

function run(fn: typeof runAsm, argv: string[]) {
  let out = '';
  let err = '';
  const code = fn(argv, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

describe('ringside asm / disasm', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-asm-'));
    fs.writeFileSync(path.join(dir, 'ok.rasm'), '.org 0x10\n_start: mov r1, 1\n  jmp _start\n.org 0x20\n.byte 7\n');
    fs.writeFileSync(path.join(dir, 'bad.rasm'), 'nop\n  frob r1\nadd r1\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints diagnostics as file:line:col and exits 1 without output', () => {
    const out = path.join(dir, 'bad.bin');
    const r = run(runAsm, [path.join(dir, 'bad.rasm'), '--listing', '-o', out]);
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.out, '');
    assert.ok(!fs.existsSync(out));
    const lines = r.err.trim().split('\n');
    assert.strictEqual(lines.length, 2);
    assert.match(lines[0], /bad\.rasm:2:3: error: unknown instruction 'frob'/);
    assert.match(lines[1], /bad\.rasm:3:5: error: 'add' takes 2 operands/);
  });

  it('names files inside messages as in the line prefixes (relative to the working directory)', () => {
    fs.writeFileSync(path.join(dir, 'dup.rasm'), 'a: nop\na: nop\n.org 0\n.word 1\n');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = run(runAsm, ['dup.rasm']);
      assert.deepStrictEqual(r.err.trim().split('\n'), [
        "dup.rasm:2:1: error: duplicate label 'a' (first defined at dup.rasm:1)",
        'dup.rasm:1:1: note: first definition',
        'dup.rasm:3:1: error: region 0x00000000-0x00000003 overlaps region 0x00000000-0x00000007 (from dup.rasm:1)',
        'dup.rasm:1:1: note: the other region starts here',
      ]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('--listing prints address, encoding and source', () => {
    const r = run(runAsm, [path.join(dir, 'ok.rasm'), '--listing']);
    assert.strictEqual(r.code, 0, r.err);
    assert.ok(r.out.includes('00000010  00000102 00000001        _start: mov r1, 1'), r.out);
  });

  it('-o writes the flat image from the lowest load address and prints its base', () => {
    const out = path.join(dir, 'ok.bin');
    const r = run(runAsm, [path.join(dir, 'ok.rasm'), '-o', out]);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /base 0x00000010/);
    const bin = fs.readFileSync(out);
    assert.strictEqual(bin.length, 0x11);
    assert.strictEqual(bin[0], 0x02);
    assert.strictEqual(bin[0x10], 7);
    assert.strictEqual(bin[0x0f], 0, 'gap filled with zeros');
  });

  it('disasm of a .rasm shows each region with labels; of a binary at --base', () => {
    const a = run(runDisasm, [path.join(dir, 'ok.rasm')]);
    assert.strictEqual(a.code, 0, a.err);
    assert.ok(a.out.includes('_start:\n00000010  00000102 00000001  mov r1, 1\n00000018  00000048 00000010  jmp _start'), a.out);
    const bin = path.join(dir, 'raw.bin');
    fs.writeFileSync(bin, Buffer.from([0x90, 0, 0, 0, 0, 0, 0, 0]));
    const b = run(runDisasm, [bin, '--base', '0x8000']);
    assert.strictEqual(b.out, '00008000  00000090           nop\n00008004  00000000           .word 0x00000000\n');
  });

  it('flatImage places segments by load address', () => {
    const img = flatImage([
      { load: 8, link: 0xc0000008, bytes: new Uint8Array([1]) },
      { load: 4, link: 4, bytes: new Uint8Array([2, 3]) },
    ]);
    assert.strictEqual(img.base, 4);
    assert.deepStrictEqual([...img.bytes], [2, 3, 0, 0, 1]);
  });

  it('disasm of a .rasm shows its data as data and starts instructions at word boundaries', () => {
    fs.writeFileSync(path.join(dir, 'dd.rasm'), '_start: jmp next\ntbl: .word 0x48\nnext: mov r1, 1\n.org 0x1002\n    nop\n');
    const r = run(runDisasm, [path.join(dir, 'dd.rasm')]);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /tbl:\n00000008 {2}00000048 {11}\.word 0x00000048\nnext:\n0000000c {2}00000102 00000001 {2}mov r1, 1\n/);
    assert.match(r.out, /00001002 {21}\.byte 0x00, 0x00\n00001004 {2}[0-9a-f]{8} {11}nop/);
  });
});

