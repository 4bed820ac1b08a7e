/** Signature help: the active form follows what is written, the operand at the cursor included. */
import * as assert from 'assert';
import { at, lines } from './helpers';

/** `form[parameter]` highlighted at the `|`. */
function active(src: string): string {
  const f = at(src);
  const h = f.ls.doSignatureHelp(f.uri, f.pos)!;
  const sig = h.signatures[h.activeSignature!];
  const p = sig.parameters![h.activeParameter!]?.label as [number, number] | undefined;
  return `${sig.label}[${p ? sig.label.slice(p[0], p[1]) : '-'}]`;
}

describe('lsp service: signature help', () => {
  it('an immediate or a constant at the cursor picks the immediate form', () => {
    assert.strictEqual(active('\tmov r1, 2|'), 'mov rd, imm[imm]');
    assert.strictEqual(active(lines('.equ COUNT, 3', '\tmov r1, COU|NT')), 'mov rd, imm[imm]');
    assert.strictEqual(active('\tmov r1, r2|'), 'mov rd, rs[rs]');
    // The start of a register's name says nothing yet.
    assert.strictEqual(active('\tmov r1, r|'), 'mov rd, rs[rs]');
  });

  it('a memory operand with `+` picks the displacement form, wherever the cursor is in it', () => {
    for (const src of ['\tst [|r1 + 4], r2', '\tst [r1 |+ 4], r2', '\tst [r1 + 4|], r2', '\tst [r1 + |']) assert.strictEqual(active(src), 'st [rb + disp], rs[[rb + disp]]', src);
    assert.strictEqual(active('\tst [r1]|, r2'), 'st [rb], rs[[rb]]');
    assert.strictEqual(active('\tst [r1 + 4], r2|'), 'st [rb + disp], rs[rs]');
  });

  it('a variadic directive highlights `...` for every value after the first', () => {
    assert.strictEqual(active('\t.word 1|, 2, 3, 4'), '.word e, ...[e]');
    for (const src of ['\t.word 1, 2|, 3, 4', '\t.word 1, 2, 3|, 4', '\t.word 1, 2, 3, 4|']) assert.strictEqual(active(src), '.word e, ...[...]', src);
  });
});
