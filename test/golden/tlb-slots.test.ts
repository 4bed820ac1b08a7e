/**
 * samples/lib/defs.rasm lists the TLB slot of each page a system call touches, to show that they
 * do not collide in the direct-mapped TLB. The list is recomputed here with the machine's own slot
 * function (emulator/tlb.ts tlbSlot, the default 64 entries), so it cannot go stale if the hash or
 * an address changes; the pages must also be in distinct slots, which is the list's point.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { tlbSlot } from '../../emulator/tlb';
import { DEFAULT_TLB } from '../../emulator/machine';

const DEFS = path.resolve(__dirname, '../../../samples/lib/defs.rasm');

describe('samples/lib/defs.rasm: the TLB slots its comment lists', () => {
  const rows = [...fs.readFileSync(DEFS, 'utf8').matchAll(/^;\s+0x([0-9A-Fa-f]{8})\s+slot (\d+)\b/gm)]
    .map((m) => ({ va: parseInt(m[1], 16), slot: Number(m[2]) }));

  it('lists some pages', () => assert.ok(rows.length >= 10, `${rows.length} rows`));

  it('each slot is the machine\'s (tlbSlot, host tag, default TLB size)', () => {
    for (const r of rows) {
      const key = r.va >>> 12;   // page number | tag 0 << 20
      assert.strictEqual(tlbSlot(key, DEFAULT_TLB - 1), r.slot, `0x${r.va.toString(16).padStart(8, '0')}`);
    }
  });

  it('no two of those pages share a slot', () => {
    const seen = new Map<number, number>();
    for (const r of rows) {
      const other = seen.get(r.slot);
      assert.strictEqual(other, undefined, `0x${r.va.toString(16)} and 0x${(other ?? 0).toString(16)} are both in slot ${r.slot}`);
      seen.set(r.slot, r.va);
    }
  });
});

describe('docs/isa.md: the TLB slots its example gives', () => {
  it('0xC0000000 and 0x00400000 are in the slots it says, where a plain modulo would put both in slot 0', () => {
    const text = fs.readFileSync(path.resolve(__dirname, '../../../docs/isa.md'), 'utf8');
    const m = /a kernel page at 0xC0000000 and a program page at 0x00400000, [^,]+, fall into slots (\d+) and (\d+) of a 64-entry TLB/.exec(text);
    assert.ok(m, 'the example is there');
    assert.deepStrictEqual([Number(m[1]), Number(m[2])], [tlbSlot(0xc0000, DEFAULT_TLB - 1), tlbSlot(0x400, DEFAULT_TLB - 1)]);
    assert.deepStrictEqual([0xc0000 % DEFAULT_TLB, 0x400 % DEFAULT_TLB], [0, 0]);
  });
});
