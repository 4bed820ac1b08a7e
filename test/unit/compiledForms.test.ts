/**
 * Each register form of the instruction table that a compiler takes, run hot by that compiler alone
 * and held to the interpreter (registers, flags, memory at every stop): a wrong compiled case of an
 * instruction, new or old, fails here whatever the random programs of blocks.test.ts and
 * jit.test.ts happen to draw.
 */
import * as assert from 'assert';
import { assembleText } from '../../language/assembler';
import type { Machine } from '../../emulator';
import { compilable } from '../../emulator/blockdecode';
import { compiledBlocks } from '../../emulator/blocks';
import { compilesInLoop } from '../../emulator/jit';
import { differential } from './blocks.test';
import { formLine, REGISTER_FORMS, TableForm } from './helpers/isaForms';

/** The jump that reads the form's flags each round, and the immediate of an immediate form. */
const VARIANTS: [string, number][] = [['jz', 13], ['jl', 0x80000001 | 0], ['jb', 7]];

/**
 * A loop whose r1 and r2 take new pseudo-random values each round, then `line` on them; the jump
 * after it reads its flags (r7 counts the rounds it was not taken). `salt` keeps each compiler's
 * words apart: a region this process compiled before would be reused at the first arrival.
 */
function loop(line: string, jcc: string, salt: number): string {
  return `.org 0
_start: mov r0, 300
    mov r3, 0x12345678
    mov r4, 0x0badf00d
loop: sub r0, 1
    jz done
    mul r3, 0x41c64e6d
    add r3, ${salt}
    xor r4, r3
    mov r1, r3
    mov r2, r4
${line}
    ${jcc} loop
    add r7, 1
    jmp loop
done: out 0xF4, r1`;
}

/** Run `f` hot under the block compiler (blocks) or the loop compiler alone, against the interpreter. */
function check(f: TableForm, blocks: boolean): void {
  for (const [jcc, imm] of VARIANTS) {
    let regs = 0;
    const src = loop(formLine(f, () => (regs++ === 0 ? 'r1' : 'r2'), () => imm), jcc, blocks ? 12345 : 54321);
    const res = assembleText(src, 'form.rasm');
    assert.ok(res.ok, src);
    const machines: Machine[] = [];
    // Entries hot after 4 arrivals, before the loop compiler's 16 jumps; or never.
    differential((m) => (m.load(res.segments, res.entry), (m.cpu.blockHot = blocks ? 4 : 1 << 30), machines.push(m)), 11, 20_000, 1 << 20, 200);
    const cpu = machines[1].cpu;
    const [nBlocks, nLoops] = [compiledBlocks(cpu), cpu.loops.size];
    assert.ok(blocks ? nBlocks > 0 && nLoops === 0 : nLoops > 0 && nBlocks === 0, `${jcc}: ${nBlocks} blocks, ${nLoops} loops compiled\n${src}`);
  }
}

const BLOCK_FORMS = REGISTER_FORMS.filter((f) => compilable(f.form.op, 0));
const LOOP_FORMS = REGISTER_FORMS.filter((f) => compilesInLoop(f.form.op));

describe('compiled instruction forms: each held to the interpreter', function () {
  this.timeout(60_000);

  it('the pools are the table\'s register forms each compiler takes', () => {
    assert.ok(BLOCK_FORMS.some((f) => f.syntax === 'add rd, imm') && BLOCK_FORMS.some((f) => f.syntax === 'div rd, rs'));
    assert.ok(LOOP_FORMS.some((f) => f.syntax === 'neg rd') && LOOP_FORMS.length > 20);
  });

  for (const f of BLOCK_FORMS) it(`block compiler: ${f.syntax}`, () => check(f, true));
  for (const f of LOOP_FORMS) it(`loop compiler: ${f.syntax}`, () => check(f, false));
});
