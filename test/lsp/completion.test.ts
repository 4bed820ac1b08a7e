import * as assert from 'assert';
import type { CompletionItem } from 'vscode-languageserver-types';
import { at, lines } from './helpers';

function complete(src: string, others: Record<string, string> = {}): CompletionItem[] {
  const f = at(src, others);
  return f.ls.doComplete(f.uri, f.pos).items;
}
const labels = (items: CompletionItem[]) => items.map((i) => i.label);

describe('lsp service: completion', () => {
  it('mnemonics with one snippet per operand form', () => {
    const items = complete('    l|');
    const ld = items.filter((i) => i.label === 'ld');
    assert.deepStrictEqual(
      ld.map((i) => i.insertText),
      ['ld ${1:rd}, [${2:rb}]', 'ld ${1:rd}, [${2:rb} + ${3:disp}]', 'ld ${1:rd}, [${2:addr}]'],
    );
    assert.strictEqual(ld[0].insertTextFormat, 2);
    const edit = ld[0].textEdit as { range: { start: { character: number }; end: { character: number } } };
    assert.deepStrictEqual([edit.range.start.character, edit.range.end.character], [4, 5]);
    assert.ok(labels(items).includes('.org'), 'directives too');
  });

  it('nothing after a finished operand or inside a number or character; after an operator symbols, no register', () => {
    const src = (line: string) => lines('.equ COUNT, 3', 'end:', line);
    for (const line of ['    mov r4, r2 |', '    add r1, 4 |', '    mov r4, 0x|', "    mov r1, 'a|", '    ld r1, [r2] |', '    .word 1 |']) {
      assert.deepStrictEqual(labels(complete(src(line))), [], line);
    }
    for (const line of ['    mov r4, end - |', '    ld r1, [r2 + |', '    .word COUNT * |']) {
      const got = labels(complete(src(line)));
      assert.ok(got.includes('COUNT') && got.includes('end'), `${line}: ${got.join(' ')}`);
      assert.ok(!got.includes('r0') && !got.includes('sp'), `${line}: no register`);
    }
    // Where an operand starts, everything its slot takes, as before.
    assert.ok(labels(complete(src('    mov r4, |'))).includes('r0'));
    assert.ok(labels(complete(src('    mov |'))).includes('r0'));
  });

  it('registers where a register goes, system registers and VMCS fields in their slots', () => {
    assert.ok(labels(complete('    push |')).includes('r15'));
    const sr = labels(complete('    rdsr r1, |'));
    assert.deepStrictEqual(sr, ['status', 'cr0', 'cr2', 'cr3', 'ivt', 'ksp', 'ksp1']);
    assert.ok(!labels(complete('    wrsr |')).includes('status'), 'status cannot be written');
    const rd = labels(complete('    vmread r1, |'));
    assert.ok(rd.includes('exit_reason') && rd.includes('guest_pc'));
    const wr = labels(complete('    vmwrite |'));
    assert.ok(wr.includes('guest_pc') && !wr.includes('exit_reason'), 'read-only fields are not offered to vmwrite');
  });

  it('labels and .equ names in immediates; local labels only in their scope', () => {
    const src = lines('.equ SIZE, 4', 'a:', '.x: nop', 'b:', '.y: nop', '    jmp |');
    const ls = labels(complete(src));
    assert.ok(ls.includes('SIZE') && ls.includes('a') && ls.includes('b'));
    assert.ok(ls.includes('.y'), 'local of the current scope');
    assert.ok(!ls.includes('.x') && !ls.includes('a.x'), 'a local of another scope is not offered');
  });

  it("a global label's locals by their full name once it is typed (`a.`), from any scope", () => {
    const src = (typed: string) => lines('a:', '.x: nop', '.y: nop', 'ab:', '.z: nop', 'b:', `    jmp ${typed}|`);
    for (const typed of ['a.', 'a.x']) {
      const items = complete(src(typed)).filter((i) => i.label.includes('.'));
      assert.deepStrictEqual(labels(items).sort(), ['a.x', 'a.y'], typed);
      const edit = items[0].textEdit as { range: { start: { character: number }; end: { character: number } } };
      assert.deepStrictEqual([edit.range.start.character, edit.range.end.character], [8, 8 + typed.length], `${typed}: the whole name is replaced`);
    }
    assert.ok(!labels(complete(src('ab.'))).includes('a.x'), 'only that label’s locals');
  });

  it('inside a memory operand: registers and symbols', () => {
    const ls = labels(complete(lines('buf: .word 0', '    ld r1, [|')));
    assert.ok(ls.includes('r2') && ls.includes('buf'));
  });

  it('a layout value (.org, .space) is offered only the names defined above it', () => {
    const org = labels(complete(lines('early: nop', '.equ K, 4', '.org |', 'late: nop')));
    assert.ok(org.includes('early') && org.includes('K') && !org.includes('late'), org.join(' '));
    assert.ok(labels(complete(lines('early: nop', '.word |', 'late: nop'))).includes('late'), '.word may use a later label');
  });

  it('ports by direction, and no register after a base register', () => {
    assert.ok(labels(complete('    in r1, |')).includes('0x11') && !labels(complete('    in r1, |')).includes('0x10'));
    assert.ok(labels(complete('    out |')).includes('0xf4') && !labels(complete('    out |')).includes('0x11'));
    const disp = labels(complete(lines('buf: .word 0', '    ld r1, [r2 + |')));
    assert.ok(disp.includes('buf') && !disp.includes('r3'), disp.join(' '));
  });

  it('directive arguments and include paths', () => {
    assert.deepStrictEqual(labels(complete('.ring |')), ['0', '1', '2', '3']);
    const inc = complete('.include "|', { 'lib.rasm': '', 'sub/x.rasm': '', 'notes.txt': '' });
    // Not main.rasm itself: including it would be a cycle.
    assert.deepStrictEqual(labels(inc).sort(), ['lib.rasm', 'sub/']);
    const sub = complete('.include "sub/|', { 'sub/x.rasm': '' });
    assert.deepStrictEqual(labels(sub), ['x.rasm']);
  });

  it('documentation comes with completionItem/resolve', () => {
    const f = at('    cl|');
    const cli = f.ls.doComplete(f.uri, f.pos).items.find((i) => i.label === 'cli')!;
    assert.strictEqual(cli.documentation, undefined);
    const doc = f.ls.doResolveCompletion(cli).documentation as { value: string };
    assert.match(doc.value, /Privileged: CPL 0 only/);
  });

  it('thousands of labels: narrowed to the typed prefix and marked incomplete', () => {
    const src = Array.from({ length: 1500 }, (_, i) => `f${i}: nop`).join('\n') + '\n    jmp f14|';
    const f = at(src);
    const list = f.ls.doComplete(f.uri, f.pos);
    assert.strictEqual(list.isIncomplete, true);
    assert.ok(list.items.length <= 400 && list.items.length > 0);
    assert.ok(list.items.filter((i) => i.kind !== 6).every((i) => i.label.startsWith('f14')), 'labels narrowed (registers aside)');
  });

  it('nothing inside a comment', () => {
    assert.deepStrictEqual(complete('    nop ; mo|'), []);
  });
});
