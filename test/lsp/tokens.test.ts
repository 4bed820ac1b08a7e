/** Semantic tokens: data labels are variables, code labels functions; an unknown mnemonic is no keyword. */
import * as assert from 'assert';
import { decodedTokens, fixture, lines } from './helpers';

/** `text type[.modifiers]` for each token. */
function tokens(src: string): string[] {
  const ls = src.split('\n');
  return decodedTokens(fixture(src)).map((t) => `${ls[t.line].slice(t.ch, t.ch + t.length)} ${t.type}`);
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
