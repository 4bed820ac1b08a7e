/** The published origins of generated code (debug-adapter/engine/codeOrigins.ts): found by address, and a corrupt descriptor cannot mislead or hang. */
import * as assert from 'assert';
import { Machine } from '../../emulator';
import { originAt, originOf } from '../../debug-adapter/engine/codeOrigins';

const words = (m: Machine, pa: number, ws: number[]) => m.writePhysical(pa, new Uint8Array(new Uint32Array(ws).buffer));

describe('Code origins (a translator\'s map for the debugger)', () => {
  const D = 0x1000;
  const T = 0x2000;
  const m = new Machine({ memory: 64 * 1024 });
  // Three pieces of generated code at 0x9000, 0x9008, 0x9020 (end 0x9030), from guest 0x100, 0x104, 0x200.
  words(m, T, [0x9000, 0x100, 0x9008, 0x104, 0x9020, 0x200]);
  words(m, D, [T, 3, 0x9030]);

  it('names the piece an address falls in, up to the next piece or the end', () => {
    assert.deepStrictEqual(originAt(m, D, 0x9000), { start: 0x9000, origin: 0x100 });
    assert.deepStrictEqual(originAt(m, D, 0x9004), { start: 0x9000, origin: 0x100 });
    assert.strictEqual(originOf(m, D, 0x901c), 0x104);
    assert.strictEqual(originOf(m, D, 0x902c), 0x200);
    assert.strictEqual(originOf(m, D, 0x9030), undefined, 'past the end');
    assert.strictEqual(originOf(m, D, 0x8ffc), undefined, 'before the first piece');
    assert.strictEqual(originOf(m, undefined, 0x9000), undefined, 'no descriptor: nothing');
  });

  it('a descriptor pointing outside memory gives nothing, and an absurd count is answered at once', () => {
    const bad = new Machine({ memory: 64 * 1024 });
    words(bad, D, [0xfffff000, 3, 0x9030]);
    assert.strictEqual(originOf(bad, D, 0x9000), undefined);
    words(bad, D, [T, 0xffffffff, 0xffffffff]);
    // A table of zeros: whatever it names, it answers (the count is capped; uncapped, 2^32 entries would not end).
    assert.strictEqual(originOf(bad, D, 0x9000), undefined);
    assert.strictEqual(originOf(bad, 0xfffffff0, 0x9000), undefined, 'the descriptor itself outside memory');
  });
});
