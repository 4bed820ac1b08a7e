/**
 * The Disassembly view's ranges (DAP disassemble): the instruction at offset 0 starts at the
 * address asked for, also backward through code the source map does not know (code a program
 * wrote or generated), where decoding from an earlier word can run into it.
 */
import * as assert from 'assert';
import { Machine } from '../../emulator';
import { Program } from '../../debug-adapter/engine/program';
import { disassembleRange } from '../../debug-adapter/views/disassembly';
import { nodeAdapterHost } from '../../debug-adapter/host/nodeHost';

describe('disassembly: backward from an address keeps it an instruction start', () => {
  it('random words outside the source map: instructionOffset -k puts the address at index k', async () => {
    const src = '.org 0\n_start: nop\n    out 0xF4, r0\n';
    const program = await Program.load('/p.rasm', src, '/', nodeAdapterHost);
    const m = new Machine();
    m.load(program.asm.segments, program.asm.entry);
    // A pseudo-random region of words at 0x8000, many of them two-word instructions.
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const words = new Uint8Array(4 * 512);
    for (let i = 0; i < 512; i++) {
      const w = next() & 0x0000ffff;
      words.set([w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24], i * 4);
    }
    m.writePhysical(0x8000, words);
    let checked = 0;
    for (let a = 0x8100; a < 0x8700; a += 4) {
      for (const k of [1, 2, 5, 50]) {
        const rows = disassembleRange(m, program, a, -k, k + 3);
        assert.strictEqual(rows.length, k + 3);
        assert.strictEqual(rows[k].address, a, `at ${a.toString(16)} with offset -${k}: ${rows.map((r) => `${r.address.toString(16)} ${r.text}`).join(' | ')}`);
        for (let i = 1; i < rows.length; i++) assert.ok(rows[i].address > rows[i - 1].address);
        checked++;
      }
    }
    assert.ok(checked > 1000);
  });
});
