/**
 * The transition log's packed storage (offsets and a template per event, and repeat records
 * for a loop's events) gives back every field as pushed: across chunk boundaries, with offsets
 * past 32 bits and VM ids past 16 (kept aside), with thousands of different templates and with
 * recurring ones, with periods of 1 to 4 events repeating, broken and shifted in cycles, after the visible length
 * was moved back and the same or other events written again, and with cycles that went down.
 */
import * as assert from 'assert';
import { causeOf, EventKind, TransitionLog } from '../../emulator/events';

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

/** A row's fields but its icount and cycles. */
function rest(r: Row): [EventKind, number, number, number, number, number, number, number, number, number, number, number] {
  return [r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13]];
}

/** byCause() against a count of every event read back, and of those dropped. */
function checkCauses(log: TransitionLog): void {
  const want: Record<string, number> = {};
  for (let i = 0; i < log.length; i++) {
    const c = causeOf(log.get(i));
    want[c] = (want[c] ?? 0) + 1;
  }
  for (const [c, k] of Object.entries(log.droppedByCause())) want[c] = (want[c] ?? 0) + k;
  const got = log.byCause();
  assert.deepStrictEqual(got, want);
  // The same order too: the CLI's --json lists the causes as they first came.
  assert.deepStrictEqual(Object.keys(got), Object.keys(want));
}

function check(log: TransitionLog, want: Row[], from = 0): void {
  if (from === 0 && want.length === log.length) checkCauses(log);
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

  it('moved back (a snapshot restored), written again from there: a different future drops what was kept past it, an identical re-run keeps it all', () => {
    const log = new TransitionLog();
    let a = rows(3, 3000, 0);
    for (const r of a) log.push(...r);
    // Back to the middle of a chunk and to a chunk's first event: a different future is written,
    // and the events kept past it (a future that no longer happens) are gone.
    for (const at of [1500, 2048]) {
      log.setLength(at);
      const b = rows(at, 700, a[at - 1][0]);
      for (const r of b) log.push(...r);
      check(log, a.slice(0, at));
      check(log, b, at);
      a = a.slice(0, at).concat(b);
      log.setLength(a.length + 500);
      assert.strictEqual(log.length, a.length);
    }
    // The same run again from a snapshot: nothing is dropped, and moving forward shows it all.
    log.setLength(1000);
    for (const r of a.slice(1000, 1600)) log.push(...r);
    assert.strictEqual(log.length, 1600);
    log.setLength(10);
    assert.strictEqual(log.length, 10);
    log.setLength(a.length);
    assert.strictEqual(log.length, a.length);
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

  it('counts what does not fit by cause (the summary\'s totals go on past the log); a snapshot brings back its own counts', () => {
    const log = new TransitionLog(3);
    const all = rows(7, 40, 0);
    for (const r of all) log.push(...r);
    const want: Record<string, number> = {};
    for (const r of all.slice(3)) {
      const c = causeOf({ kind: r[2], vector: r[7], syscall: r[8], exitReason: r[9] });
      want[c] = (want[c] ?? 0) + 1;
    }
    assert.deepStrictEqual(log.droppedByCause(), want);
    // A snapshot taken after 10 events (7 dropped), restored after all 40: the 30 later drops have not happened there.
    const again = new TransitionLog(3);
    for (const r of all.slice(0, 10)) again.push(...r);
    const saved = again.droppedState();
    for (const r of all.slice(10)) again.push(...r);
    assert.strictEqual(again.dropped, 37);
    again.setLength(3);
    again.restoreDropped(saved);
    const early: Record<string, number> = {};
    for (const r of all.slice(3, 10)) {
      const c = causeOf({ kind: r[2], vector: r[7], syscall: r[8], exitReason: r[9] });
      early[c] = (early[c] ?? 0) + 1;
    }
    assert.deepStrictEqual([again.dropped, again.droppedByCause()], [7, early]);
    log.setLength(2);
    log.restoreDropped(undefined);
    assert.deepStrictEqual([log.dropped, log.droppedByCause()], [0, {}]);
  });

  it('a period of 1 to 4 events repeating, broken, resumed and mixed with other events reads back event by event', () => {
    for (let period = 1; period <= 4; period++) {
      const want: Row[] = [];
      const tpl = rows(period * 11, period, 0);
      let s = period;
      const next = () => (s = (Math.imul(s, 1103515245) + 12345) | 0) >>> 0;
      let ic = 100;
      let cy = 300;
      // 1,500 stretches, so the records pass several chunks.
      for (let stretch = 0; stretch < 1500; stretch++) {
        const reps = 1 + (next() % 9);
        const stepI = 1 + (next() % 40);
        const stepC = next() % 3 === 0 ? 0 : 1 + (next() % 90);
        for (let q = 0; q < reps; q++) {
          tpl.forEach((t, i) => want.push([ic + q * stepI + i, cy + q * stepC + 2 * i, ...rest(t)]));
        }
        ic += reps * stepI + 1 + (next() % 5);
        cy += reps * stepC + 1;
        // Broken midway now and then: a different template, then a different spacing.
        if (next() % 3 === 0) want.push(...rows(next(), 1 + (next() % 3), ic));
        ic = Math.max(ic, want[want.length - 1][0]) + 1;
        cy = Math.max(cy, want[want.length - 1][1]) + 1;
        if (next() % 4 === 0) want.push([ic, cy + 7, ...rest(tpl[0])]);
        ic += 3;
        cy += 10;
      }
      const log = new TransitionLog();
      for (const r of want) log.push(...r);
      assert.strictEqual(log.length, want.length);
      check(log, want);
      assert.ok(log.records > 1024 && log.records < want.length * 0.7, `period ${period}: ${log.records} records for ${want.length} events`);
      // Moved back (step back) to any event, in a repeat or between: the counts are those of the events before it.
      for (let k = 0; k < 40; k++) {
        log.setLength(next() % want.length);
        checkCauses(log);
      }
      log.setLength(want.length);
    }
  });

  it('repeats next to and made of wide values: icount past 2^32, VM ids past 16 bits', () => {
    const want: Row[] = [];
    const loop = (ic: number, cy: number, n: number, fromVm: number, toVm: number) => {
      for (let j = 0; j < n; j++) {
        want.push([ic + 9 * j, cy + 40 * j, EventKind.VmExit, 0, 0, fromVm, toVm, -1, -1, 18, 0x2000, 0x100, 0x8000, 5]);
        want.push([ic + 9 * j + 3, cy + 40 * j + 11, EventKind.VmEntry, 0, 0, toVm, fromVm, -1, -1, -1, 0x104, 0x2004, 0x8000, 0]);
      }
    };
    loop(10, 10, 50, 1, 0);
    // Past 2^32 instructions since the chunk's first event: the records it repeats are kept aside.
    loop(2 ** 33 + 5, 2 ** 34, 60, 2, 0);
    // VM ids that do not fit: never part of a repeat, and their neighbours' ids are their own.
    loop(2 ** 33 + 10_000, 2 ** 34 + 50_000, 5, 70_001, 0);
    want.push([2 ** 33 + 20_000, 2 ** 34 + 90_000, EventKind.VmExit, 0, 0, 3, 0, -1, -1, 18, 0x2000, 0x100, 0x8000, 5]);
    loop(2 ** 33 + 20_100, 2 ** 34 + 90_100, 40, 3, 0);
    const log = new TransitionLog();
    for (const r of want) log.push(...r);
    check(log, want);
    assert.ok(log.records < 30, `${log.records} records`);
  });

  it('moved back into the middle of a repeat: an identical re-run keeps it, a different future cuts it there', () => {
    const loop: Row[] = [];
    for (let j = 0; j < 1000; j++) {
      loop.push([10 + 8 * j, 10 + 31 * j, EventKind.Trap, 3, 0, 0, 0, 0x80, 1, -1, 0x40, 0x100, 0x9000, 0]);
      loop.push([13 + 8 * j, 20 + 31 * j, EventKind.Trap, 0, 0, 0, 0, 14, -1, -1, 0x104, 0x300, 0x8ff0, 0x5000]);
      loop.push([15 + 8 * j, 25 + 31 * j, EventKind.Iret, 0, 3, 0, 0, 0x80, -1, -1, 0x10c, 0x44, 0x6fec, 0]);
    }
    const tail = rows(5, 50, 10 + 8 * 1000);
    const a = loop.concat(tail);
    const log = new TransitionLog();
    for (const r of a) log.push(...r);
    const records = log.records;
    assert.ok(records < 60, `${records} records`);
    log.setLength(1501);
    for (const r of a.slice(1501, 2200)) log.push(...r);
    assert.strictEqual(log.records, records);
    log.setLength(a.length);
    check(log, a);
    // A different future from the middle of the repeat: the loop's events before it stay, those
    // after it are gone.
    log.setLength(1501);
    const b = rows(9, 5, a[1500][0]);
    for (const r of b) log.push(...r);
    assert.strictEqual(log.length, 1506);
    log.setLength(a.length);
    assert.strictEqual(log.length, 1506);
    check(log, a.slice(0, 1501).concat(b));
    // And again two events past the repeat's end: the repeat and those two stay.
    log.setLength(1503);
    const c = rows(11, 1, b[1][0]);
    log.push(...c[0]);
    assert.strictEqual(log.length, 1504);
    log.setLength(a.length);
    check(log, a.slice(0, 1501).concat(b.slice(0, 2), c));
    // Back to where the different future began, and the loop goes on as before: the repeat takes it again.
    log.setLength(1501);
    for (const r of a.slice(1501, 2400)) log.push(...r);
    check(log, a.slice(0, 2400));
    assert.ok(log.records <= 5, `${log.records} records`);
    // Back to the repeat's first event (event 4: a period is seen once before one repeats): a
    // different future drops the whole repeat; then the loop again.
    log.setLength(4);
    for (const r of b) log.push(...r);
    assert.strictEqual(log.records, 4 + b.length);
    check(log, a.slice(0, 4).concat(b));
    log.setLength(4);
    for (const r of a.slice(4, 3000)) log.push(...r);
    check(log, a.slice(0, 3000));
    const kept = log.records;
    const more = loop.slice(0, 3).map((r): Row => [r[0] + 8 * 1000, r[1] + 31 * 1000, ...rest(r)]);
    for (const r of more) log.push(...r);
    assert.strictEqual(log.records, kept);
    check(log, a.slice(0, 3000).concat(more));
    // The same transition a cycle or an instruction later is a different future too.
    for (const [at, later] of [[2000, [a[2000][0], a[2000][1] + 1]], [1000, [a[1000][0] + 1, a[1000][1]]]] as const) {
      log.setLength(at);
      const row: Row = [later[0], later[1], ...rest(a[at])];
      log.push(...row);
      log.setLength(a.length);
      assert.strictEqual(log.length, at + 1);
      check(log, a.slice(0, at).concat([row]));
    }
  });

  it('a repeat that reaches the capacity counts what does not fit, and keeps what fit after moving back', () => {
    const log = new TransitionLog(100);
    const loop: Row[] = [];
    for (let j = 0; j < 150; j++) {
      loop.push([10 + 8 * j, 10 + 31 * j, EventKind.Trap, 3, 0, 0, 0, 0x80, 4, -1, 0x40, 0x100, 0x9000, 0]);
      loop.push([14 + 8 * j, 25 + 31 * j, EventKind.Iret, 0, 3, 0, 0, 0x80, -1, -1, 0x10c, 0x44, 0x6fec, 0]);
    }
    for (const r of loop) log.push(...r);
    assert.strictEqual(log.length, 100);
    assert.strictEqual(log.dropped, 200);
    check(log, loop.slice(0, 100));
    log.setLength(50);
    for (const r of loop.slice(50, 120)) log.push(...r);
    assert.strictEqual(log.length, 100);
    // Moved back before the log filled, the count starts again: the run to event 120 dropped 20, not 220.
    assert.strictEqual(log.dropped, 20);
    check(log, loop.slice(0, 100));
  });

  it('a repeat read, cut at its first event and written again with other steps, reads back the new one', () => {
    const loop = (from: number, n: number, step: number): Row[] =>
      [...Array(n).keys()].map((j): Row => [10 + step * (from + j), 7 * step * (from + j), EventKind.Trap, 3, 0, 0, 0, 0x80, 1, -1, 0x40, 0x100, 0x9000, 0]);
    const log = new TransitionLog();
    const a = loop(0, 100, 8);
    for (const r of a) log.push(...r);
    check(log, a);
    log.setLength(2);
    const b = a.slice(0, 2).concat(loop(2, 98, 9));
    for (const r of b.slice(2)) log.push(...r);
    check(log, b);
  });

  it('a loop of 100,000 system calls (200,000 events) takes a handful of records', () => {
    const log = new TransitionLog();
    for (let j = 0; j < 100_000; j++) {
      log.push(10 + 8 * j, 10 + 31 * j, EventKind.Trap, 3, 0, 0, 0, 0x80, 4, -1, 0x40, 0x100, 0x9000, 0);
      log.push(14 + 8 * j, 25 + 31 * j, EventKind.Iret, 0, 3, 0, 0, 0x80, -1, -1, 0x10c, 0x44, 0x6fec, 0);
    }
    assert.strictEqual(log.length, 200_000);
    assert.ok(log.records <= 4, `${log.records} records`);
    const e = log.get(199_999);
    assert.deepStrictEqual([e.icount, e.cycles, e.cause], [14 + 8 * 99_999, 25 + 31 * 99_999, 'iret']);
  });

  it('a loop whose transitions come late now and then (a TLB miss more) goes on in one record per delay, read back, moved back and re-run', () => {
    for (let period = 1; period <= 4; period++) {
      // Templates with narrow VM ids (wide ones never repeat).
      const tpl = rows(period * 7, period, 0).map((r): Row => [r[0], r[1], r[2], r[3], r[4], 0, 1, ...(r.slice(7) as [number, number, number, number, number, number, number])]);
      let s = period * 13;
      const next = () => (s = (Math.imul(s, 1103515245) + 12345) | 0) >>> 0;
      const want: Row[] = [];
      const ic = 50;
      let cy = 90;
      let late = 0;
      // A steady loop: each event `period` positions later comes 20 instructions and 300 cycles on,
      // but one in 40 comes 40 cycles later than that (one in 200 an instruction later), and so
      // does everything after it.
      for (let j = 0; j < 6000; j++) {
        const pos = j % period;
        const q = (j / period) | 0;
        if (next() % 40 === 0) late += next() % 5 === 0 ? 1 : 0;
        const bump = next() % 40 === 0 ? 40 : 0;
        cy += bump;
        want.push([ic + q * 20 + pos * 3 + late, cy + q * 300 + pos * 50, ...rest(tpl[pos])]);
      }
      const log = new TransitionLog();
      for (const r of want) log.push(...r);
      check(log, want);
      const records = log.records;
      // Without resuming, two to three times as many (each delay then costs the explicit records a new repeat needs).
      assert.ok(records < want.length / 6, `period ${period}: ${records} records for ${want.length} events`);
      // Back into the middle of the run and the same events again: kept as they were.
      for (const at of [3001, 4500, 17]) {
        log.setLength(at);
        for (const r of want.slice(at)) log.push(...r);
        assert.strictEqual(log.records, records, `period ${period}, re-run from ${at}`);
        check(log, want);
      }
      // A different future from there: a transition one cycle later drops what followed it, and
      // the loop goes on from it, read back whole.
      const at = 3333;
      log.setLength(at);
      const moved = want.slice(at).map((r): Row => [r[0], r[1] + 1, ...rest(r)]);
      for (const r of moved) log.push(...r);
      check(log, want.slice(0, at).concat(moved));
    }
  });

  it('a loop whose cycles alone move now and then (a TLB miss more) stays one repeat with a shift per move, read back, moved back and re-run', () => {
    // A fault and its iret, 18 instructions and 400 cycles a round; one round in nine, pseudo-randomly, 14 cycles later from its fault on.
    let s = 11;
    const next = () => (s = (Math.imul(s, 1103515245) + 12345) | 0) >>> 0;
    const want: Row[] = [];
    let cy = 1000;
    let moves = 0;
    for (let j = 0; j < 20_000; j++) {
      if (j > 0 && next() % 9 === 0) {
        cy += 14;
        moves++;
      }
      want.push([100 + 18 * j, cy + 400 * j, EventKind.Trap, 0, 0, 0, 0, 14, -1, -1, 0x40, 0x300, 0x7000, 2]);
      want.push([109 + 18 * j, cy + 400 * j + 200, EventKind.Iret, 0, 0, 0, 0, 14, -1, -1, 0x320, 0x40, 0x6fec, 0]);
    }
    const log = new TransitionLog();
    for (const r of want) log.push(...r);
    check(log, want);
    // Moves closer than two rounds are a resumed repeat or a new one; the others are shifts.
    assert.ok(log.shiftCount > moves / 2 && log.shiftCount <= moves, `${log.shiftCount} shifts for ${moves} moves`);
    assert.ok(log.records < moves / 4, `${log.records} records for ${moves} moves`);
    const records = log.records;
    const shifts = log.shiftCount;
    // Back into the middle (inside a shifted stretch, and before the first shift) and the same events again: kept as they were.
    for (const at of [20_001, 33_333, 3]) {
      log.setLength(at);
      for (const r of want.slice(at)) log.push(...r);
      assert.deepStrictEqual([log.records, log.shiftCount], [records, shifts], `re-run from ${at}`);
      check(log, want);
    }
    // A different future: from event 25,000 on one cycle later; what followed is dropped, the new events read back whole.
    log.setLength(25_000);
    const moved = want.slice(25_000).map((r): Row => [r[0], r[1] + 1, ...rest(r)]);
    for (const r of moved) log.push(...r);
    check(log, want.slice(0, 25_000).concat(moved));
    // The shifts from the cut on went with it: the new future's are the same moves and the one at the cut.
    assert.ok(log.shiftCount <= shifts + 1, `${log.shiftCount} shifts after the cut, ${shifts} before`);
  });

  it('a loop whose cycles per round change for good takes a new repeat, not a shift at every event', () => {
    const log = new TransitionLog();
    const want: Row[] = [];
    for (let j = 0; j < 4_000; j++) {
      // From round 1,000 on each round takes 30 cycles more (a page the loop walks every time).
      const cy = 500 + 400 * j + (j > 1_000 ? 30 * (j - 1_000) : 0);
      want.push([100 + 18 * j, cy, EventKind.Trap, 3, 0, 0, 0, 0x80, 1, -1, 0x40, 0x300, 0x9000, 0]);
      want.push([109 + 18 * j, cy + 200, EventKind.Iret, 0, 3, 0, 0, 0x80, -1, -1, 0x320, 0x44, 0x6fec, 0]);
    }
    for (const r of want) log.push(...r);
    check(log, want);
    assert.ok(log.shiftCount <= 2 && log.records < 20, `${log.shiftCount} shifts, ${log.records} records`);
  });

  it('a loop whose timing never settles keeps one explicit record per transition', () => {
    const tpl = rows(3, 2, 0);
    const want: Row[] = [];
    let s = 5;
    const next = () => (s = (Math.imul(s, 1103515245) + 12345) | 0) >>> 0;
    let ic = 0;
    for (let j = 0; j < 3000; j++) {
      ic += 1 + (next() % 3);
      want.push([ic, 4 * ic + (next() % 2), ...rest(tpl[j % 2])]);
    }
    const log = new TransitionLog();
    for (const r of want) log.push(...r);
    check(log, want);
    assert.ok(log.records <= want.length, `${log.records} records for ${want.length} events`);
  });
});
