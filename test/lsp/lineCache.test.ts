/**
 * What a cached line keeps is small (language/lineInfo.ts): the parser lexes into one reused
 * pool of tokens, and an instruction's statement is dropped and parsed again when asked for.
 * These hold that to parsing from scratch.
 */
import * as assert from 'assert';
import { registerNumber } from '../../emulator/isa/registers';
import { allMnemonics, instructionByName } from '../../emulator/isa/table';
import { lexLine } from '../../language/lexer';
import { LineInfo } from '../../language/lineInfo';
import { InstructionNode, parseLine } from '../../language/parser';
import { ringCheck, ringSensitive } from '../../language/service/ringChecks';

const LINES = [
  'start:  mov r1, BASE + 4 * (2 - 1)   ; a comment',
  '.loop:  ld r3, [r2 + 4]',
  '        st [r2 - 8], r3',
  '        ld r1, [0x1000]',
  '        rdsr r1, status',
  '        wrsr status, r1',
  '        out 0x44, r1',
  'msg:    .asciz "hi\\n", 0',
  '        .word 1, 2, func, \'a\'',
  '        .byte 300',
  '        mov r1, r2 +',
  '        mvo r1, r2',
  '        add r1, [r2',
  '        jmp ,',
  '        ld r1, [r2 r3]',
  '        mov r1, 99999999999',
  '        mov r1, "unterminated',
  'a: b: c:    ret',
  '        @@@ garbage',
  '; only a comment',
  '',
];

describe('lsp service: what a cached line keeps', () => {
  it('parses each line the same whatever was parsed before it, and tokens handed out are never reused', () => {
    const alone = LINES.map((l) => parseLine(l));
    const tokens = LINES.map((l) => lexLine(l).tokens);
    const copies = tokens.map((ts) => ts.map((t) => ({ ...t })));
    // Forwards, backwards and interleaved with other lines: the shared token pool must not leak between lines.
    for (const order of [LINES.map((_, i) => i), LINES.map((_, i) => LINES.length - 1 - i)]) {
      for (const i of order) {
        assert.deepStrictEqual(parseLine(LINES[i]), alone[i], LINES[i]);
        parseLine(LINES[(i * 7) % LINES.length]);
      }
    }
    assert.deepStrictEqual(tokens, copies);
  });

  it("an instruction's statement, the comment and the tokens, made again on demand, are the parser's", () => {
    for (const text of LINES) {
      const info = new LineInfo(text);
      const p = parseLine(text);
      assert.deepStrictEqual(info.stmt, p.statement, text);
      // Asked twice: the same node (hover and navigation compare what they get).
      assert.strictEqual(info.stmt, info.stmt, text);
      assert.deepStrictEqual(info.comment, p.comment, text);
      assert.deepStrictEqual(info.tokens, lexLine(text).tokens, text);
      assert.strictEqual(info.tokens, info.tokens, text);
      assert.deepStrictEqual(info.labels, p.labels, text);
    }
  });

  it('register names: r0..r15, sp and fp in any case; nothing else (read by character codes)', () => {
    for (let i = 0; i < 16; i++) {
      assert.strictEqual(registerNumber(`r${i}`), i);
      assert.strictEqual(registerNumber(`R${i}`), i);
    }
    assert.deepStrictEqual(['sp', 'SP', 'Sp', 'fp', 'FP', 'fP'].map(registerNumber), [15, 15, 15, 14, 14, 14]);
    for (const name of ['r16', 'r01', 'r00', 'r99', 'r', 'r1x', 'r123', 'rx', 'ra', 's', 'p', 'spp', 'xp', 'r-1', 'r 1', '', 'sr', 'r\u0661', 'ſp', 'r1\u0000']) {
      assert.strictEqual(registerNumber(name), undefined, JSON.stringify(name));
    }
  });

  it('an instruction the ring checks skip (ringSensitive false) has nothing to report at any ring', () => {
    let sensitive = 0;
    for (const m of allMnemonics()) {
      const def = instructionByName(m)!;
      for (const text of [`        ${m}`, `        ${m} r1, status`]) {
        const stmt = parseLine(text).statement as InstructionNode;
        for (const ring of [1, 2, 3]) {
          const problem = ringCheck(def, stmt, ring);
          if (!ringSensitive(def)) assert.strictEqual(problem, undefined, `${text} at ring ${ring}`);
          else if (problem) sensitive++;
        }
      }
    }
    assert.ok(sensitive > 0);
  });
});
