/**
 * The transition log's packed storage (offsets and a template per event) gives back every
 * field as pushed: across chunk boundaries, with offsets past 32 bits and VM ids past 16 (kept
 * aside), with thousands of different templates and with two recurring ones, after the visible
 * length was moved back and the same indexes written again, and with cycles that went down.
 */
import * as assert from 'assert';
import { EventKind, TransitionLog } from '../../emulator/events';

type Row = [number, number, EventKind, number, number, number, number, number, number, number, number, number, number, number];

function rows(seed: number, n: number, start: number): Row[] {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) | 0) >>> 0;
  const out: Row[] = [];
  let ic = start;
  let cy = start * 3;
  for (let i = 0; i < n; i++) {
    // Mostly small steps; now and then a jump past 2^32 instructions, or cycles going down (costs changed).
    const r = next() % 50;
    ic += r === 0 ? 2 ** 33 + next() : next() % 1000;
    cy = r === 1 ? cy - 5 : cy + (r === 2 ? 2 ** 34 : next() % 5000);
    const kind = (next() % 6) as EventKind;
    const vmBig = next() % 40 === 0;
    out.push([
      ic, cy, kind, next() % 4, next() % 4, vmBig ? 70_000 + (next() % 9) : next() % 5, next() % 5,
      next() % 3 === 0 ? -1 : next() % 256, next() % 2 ? -1 : next() | 0, next() % 2 ? -1 : next() % 53,
      next() | 0, next() | 0, next() | 0, next() | 0,
    ]);
  }
  return out;
}

function check(log: TransitionLog, want: Row[], from = 0): void {
  want.forEach((w, j) => {
    const i = from + j;
    const e = log.get(i);
    const got = [e.icount, e.cycles, e.kind, e.fromCpl, e.toCpl, e.fromVm, e.toVm, e.vector, e.syscall, e.exitReason, e.pcBefore | 0, e.pcAfter | 0, e.spBefore | 0, e.detail | 0];
    assert.deepStrictEqual(got, w, `event ${i}`);
    assert.strictEqual(e.index, i);
  });
}

describe('Transition log storage', () => {
  it('returns every field as pushed, over several chunks, with wide offsets, wide VM ids and cycles going down', () => {
    const log = new TransitionLog();
    const a = rows(7, 5000, 10);
    for (const r of a) log.push(...r);
    assert.strictEqual(log.length, a.length);
    check(log, a);
    assert.throws(() => log.get(a.length), RangeError);
  });

  it('moved back (a snapshot restored), written again from there, and moved forward again over what was kept', () => {
    const log = new TransitionLog();
    const a = rows(3, 3000, 0);
    for (const r of a) log.push(...r);
    // Back to the middle of a chunk and to a chunk's first event: a different future is written.
    for (const at of [1500, 2048]) {
      log.setLength(at);
      const b = rows(at, 700, a[at - 1][0]);
      for (const r of b) log.push(...r);
      check(log, a.slice(0, at));
      check(log, b, at);
      a.splice(at, b.length, ...b);
    }
    log.setLength(10);
    assert.strictEqual(log.length, 10);
    log.setLength(a.length);
    check(log, a);
  });

  it('a loop of system calls (two events recurring 50,000 times, only the counts moving) reads back event by event', () => {
    const log = new TransitionLog();
    for (let j = 0; j < 50_000; j++) {
      log.push(10 + 8 * j, 10 + 31 * j, EventKind.Trap, 3, 0, 0, 0, 0x80, j % 3, -1, 0x40, 0x100, 0x9000, 0);
      log.push(14 + 8 * j, 25 + 31 * j, EventKind.Iret, 0, 3, 0, 0, 0x80, -1, -1, 0x10c, 0x44, 0x6fec, 0);
    }
    for (const j of [0, 1, 2, 1023, 1024, 25_000, 49_999]) {
      const t = log.get(2 * j);
      const r = log.get(2 * j + 1);
      assert.deepStrictEqual([t.icount, t.cycles, t.kind, t.fromCpl, t.toCpl, t.vector, t.syscall, t.pcBefore, t.pcAfter, t.spBefore], [10 + 8 * j, 10 + 31 * j, EventKind.Trap, 3, 0, 0x80, j % 3, 0x40, 0x100, 0x9000]);
      assert.deepStrictEqual([r.icount, r.cycles, r.kind, r.fromCpl, r.toCpl, r.syscall, r.pcBefore, r.pcAfter, r.spBefore, r.cause], [14 + 8 * j, 25 + 31 * j, EventKind.Iret, 0, 3, -1, 0x10c, 0x44, 0x6fec, 'iret']);
    }
  });

  it('counts what does not fit past its capacity', () => {
    const log = new TransitionLog(3);
    for (const r of rows(1, 5, 0)) log.push(...r);
    assert.strictEqual(log.length, 3);
    assert.strictEqual(log.dropped, 2);
  });
});
