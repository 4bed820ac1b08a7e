/**
 * Files that must not exhaust the host: an `.include` of a device or of a huge file is refused
 * with a located error (the one rule of readSourceFile, shared with the language server), and a
 * constant without a value names what its chain of .equ is missing, not a cycle it is not in.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assemble } from '../../language/assembler';
import { MAX_SOURCE_BYTES, nodeHost, readSourceFile } from '../../language/nodeHost';
import { memoryHost } from '../../language/memoryHost';
import { nodeServiceHost } from '../../language/server/nodeServiceHost';
import { runAsm } from '../../cli/asm';

const errors = (file: string) =>
  assemble(file, nodeHost)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${path.basename(d.file)}:${d.line + 1}:${d.col + 1}: ${d.message}`);

describe('hostile files and includes', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-hostile-'));
    // Sparse: 1 byte past the limit without writing 64 MiB.
    const fd = fs.openSync(path.join(dir, 'huge.inc'), 'w');
    fs.ftruncateSync(fd, MAX_SOURCE_BYTES + 1);
    fs.closeSync(fd);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };

  it('an include of /dev/zero, /dev/urandom, a directory or a file over 64 MiB is an error at the .include line', () => {
    const main = write('main.rasm', '_start: nop\n.include "/dev/zero"\n  .include "/dev/urandom"\n.include "huge.inc"\n.include "."\n');
    // Reading /dev/zero would never end: the test's own timeout is the bound.
    assert.deepStrictEqual(errors(main), [
      "main.rasm:2:1: cannot read included file '/dev/zero' (/dev/zero): it is not a regular file (a device, a pipe or a socket)",
      "main.rasm:3:3: cannot read included file '/dev/urandom' (/dev/urandom): it is not a regular file (a device, a pipe or a socket)",
      `main.rasm:4:1: cannot read included file 'huge.inc' (${path.join(dir, 'huge.inc')}): it is larger than 64 MiB (65 MiB)`,
      `main.rasm:5:1: cannot read included file '.' (${dir}): it is a directory`,
    ]);
  });

  it('the CLI refuses them the same way and exits 1', () => {
    const main = write('cli.rasm', '_start: nop\n.include "/dev/zero"\n');
    let err = '';
    const code = runAsm([main, '-o', path.join(dir, 'cli.bin')], () => undefined, (s) => (err += s));
    assert.strictEqual(code, 1);
    assert.match(err, /cli\.rasm:2:1: error: cannot read included file '\/dev\/zero' \(\/dev\/zero\): it is not a regular file/);
  });

  it('the language server reads by the same rule', () => {
    const host = nodeServiceHost(() => [dir]);
    assert.strictEqual(host.readFile('/dev/zero'), undefined);
    assert.strictEqual(host.readFile(path.join(dir, 'huge.inc')), undefined);
    assert.strictEqual(host.readFile(write('ok.rasm', 'nop\n')), 'nop\n');
    assert.deepStrictEqual(readSourceFile(path.join(dir, 'nosuch.rasm')), { error: 'no such file' });
  });

  it('a constant whose chain ends in an undefined name names that name, not a cycle', () => {
    const r = assemble('/w/m.rasm', memoryHost({ '/w/m.rasm': '.equ A, B + 1\n.equ B, C + 1\n_start:\n    mov r1, A\n' }));
    const msgs = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line + 1}: ${d.message}`);
    assert.deepStrictEqual(msgs, ["1: 'B' has no value: 'C' is undefined", "2: undefined label or constant 'C'", "4: 'A' has no value: 'C' is undefined (A → B → C)"]);
    const cyc = assemble('/w/m.rasm', memoryHost({ '/w/m.rasm': '.equ A, B + 1\n.equ B, A + 1\n_start:\n    mov r1, A\n' }));
    assert.ok(cyc.diagnostics.some((d) => d.message === "'A' cannot be evaluated: circular definition (A → B → A)"), JSON.stringify(cyc.diagnostics));
  });

  it('a long chain or cycle of constants without value is told in linear time, each message short', () => {
    const n = 5_000;
    let chain = '';
    for (let i = 0; i < n; i++) chain += `.equ A${i}, A${i + 1} + 1\n`;
    const said = (last: string) => assemble('/w/m.rasm', memoryHost({ '/w/m.rasm': `${chain}.equ A${n}, ${last}\n` })).diagnostics.map((d) => d.message);
    const open = said('X + 1');
    assert.strictEqual(open[0], "'A1' has no value: 'X' is undefined (A1 → A2 → A3 → A4 → A5 → … → X)");
    const cycle = said('A0 + 1');
    assert.strictEqual(cycle[0], "'A1' cannot be evaluated: circular definition (A1 → A2 → A3 → A4 → A5 → … → A1)");
  });

  it('a constant whose later value divides by zero says so, not an empty undefined name', () => {
    const r = assemble('/w/m.rasm', memoryHost({ '/w/m.rasm': '.equ C, A + 1\n.equ A, 1 / (B - 1)\n.equ B, 1\n' }));
    assert.deepStrictEqual(r.diagnostics.map((d) => `${d.line + 1}: ${d.message}`), ["1: 'A' has no value: its definition has an error", '2: division by zero']);
    const use = assemble('/w/m.rasm', memoryHost({ '/w/m.rasm': '.equ C, A + 1\n.equ A, 1 / (B - 1)\n.equ B, 1\n.word C\n' }));
    assert.ok(use.diagnostics.some((d) => d.message === "'C' has no value: the definition of 'A' has an error"), JSON.stringify(use.diagnostics));
  });
});
