/** Semantic tokens: data labels are variables, code labels functions; an unknown mnemonic is no keyword. */
import * as assert from 'assert';
import { fixture, lines } from './helpers';

/** `text type[.modifiers]` for each token. */
function tokens(src: string): string[] {
  const f = fixture(src);
  const data = f.ls.getSemanticTokens(f.uri).data;
  const legend = f.ls.semanticLegend;
  const ls = src.split('\n');
  const out: string[] = [];
  let line = 0;
  let ch = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    ch = data[i] ? data[i + 1] : ch + data[i + 1];
    const mods = legend.tokenModifiers.filter((_, b) => data[i + 4] & (1 << b));
    out.push(`${ls[line].slice(ch, ch + data[i + 2])} ${legend.tokenTypes[data[i + 3]]}${mods.length ? '.' + mods.join('.') : ''}`);
  }
  return out;
}

describe('lsp service: semantic tokens of labels', () => {
  it('a label before data (or at the end of its region) is a variable; one before code a function', () => {
    const src = lines(
      'main:   mov r1, msg',
      '        ld r2, [r1 + table]',
      '        jmp .go',
      '.go:    mov sp, stack_top',
      'msg:    .asciz "hi"',
      'table:',
      '        .align 4',
      '        .word main, 2',
      '        .space 64',
      'stack_top:',
      '.org 0x1000',
      'far:    nop',
    );
    const toks = tokens(src).filter((x) => /^(main|msg|table|stack_top|far|\.go) /.test(x));
    assert.deepStrictEqual(toks, [
      'main function.declaration',
      'msg variable',
      'table variable',
      '.go label',
      '.go label.declaration',
      'stack_top variable',
      'msg variable.declaration',
      'table variable.declaration',
      'main function',
      'stack_top variable.declaration',
      'far function.declaration',
    ]);
  });

  it('an unknown mnemonic gets no token (its operands still do)', () => {
    assert.deepStrictEqual(tokens('\tfoo r1, 2'), ['r1 variable.defaultLibrary', '2 number']);
  });
});
