/** The debugger's time-travel engine: snapshots plus deterministic replay give back the very same machine. */
import * as assert from 'assert';
import * as crypto from 'crypto';
import * as path from 'path';
import { Machine } from '../../emulator';
import { assemble } from '../../language/assembler';
import { nodeHost } from '../../language/nodeHost';
import { History, replay } from '../../debug-adapter/engine/history';

const ROOT = path.resolve(__dirname, '../../..');

function boot(file: string, stdin = ''): Machine {
  const res = assemble(path.join(ROOT, file), nodeHost);
  assert.ok(res.ok, res.diagnostics.map((d) => d.message).join('\n'));
  const m = new Machine({ stdin });
  m.load(res.segments, res.entry);
  return m;
}

/** Snapshot pages never change once taken: hash each once. */
const pageHashes = new WeakMap<Uint8Array, string>();
function pageHash(p: Uint8Array): string {
  let h = pageHashes.get(p);
  if (!h) pageHashes.set(p, (h = crypto.createHash('sha1').update(p).digest('hex')));
  return h;
}

/** Everything that makes up the machine, as one comparable string: registers, system state, memory, TLB, devices, events, shadow stacks. */
function digest(m: Machine): string {
  const s = m.saveState();
  const mem = crypto.createHash('sha256');
  s.pages.forEach((p, i) => p && mem.update(`${i}:${pageHash(p)};`));
  const shadows = s.shadows.map(([tag, st]) => [tag, st.depth, Array.from(st.data.subarray(0, st.depth * 5))]);
  const events = Array.from({ length: m.eventCount }, (_, i) => m.event(i)).map((e) => `${e.icount}:${e.cause}:${e.pcBefore}:${e.pcAfter}`);
  return JSON.stringify({
    regs: Array.from(s.regs),
    scalars: Array.from(s.scalars),
    mem: mem.digest('hex'),
    tlb: [Array.from(s.tlb.key), Array.from(s.tlb.page), Array.from(s.tlb.perm)],
    tlbStats: s.tlbStats,
    console: s.console,
    output: m.outputText(),
    events,
    vms: [s.vmIds, s.vmStats.map((v) => ({ ...v, exits: [...v.exits] }))],
    powered: s.powered,
    shadows,
  });
}

/** Run forward one slice at a time, recording, and remember the digest at every step. */
function recordRun(m: Machine, h: History, steps: number): string[] {
  const seen = [digest(m)];
  h.begin(m);
  for (let i = 0; i < steps; i++) {
    m.run(1);
    h.record(m);
    seen.push(digest(m));
  }
  return seen;
}

describe('history: snapshots and replay', () => {
  for (const [file, steps, interval] of [
    ['samples/hello/hello.rasm', 5400, 97],
    ['test/dap/fixtures/pagefault.rasm', 5250, 64],
    ['test/dap/fixtures/vm.rasm', 50, 7],
    ['test/dap/fixtures/traps.rasm', 5030, 250],
    ['test/dap/fixtures/twoproc.rasm', 5400, 1000],
  ] as const) {
    it(`${path.basename(file)}: step back N then forward N gives a bit-identical machine`, () => {
      const m = boot(file);
      const h = new History(1_000_000, interval);
      const seen = recordRun(m, h, steps);
      const end = m.icount;
      assert.strictEqual(digest(m), seen[end]);
      for (const n of [1, 2, interval - 1, interval, interval + 1, 3 * interval + 5, end]) {
        if (n > end) continue;
        h.seek(m, end - n);
        assert.strictEqual(digest(m), seen[end - n], `back ${n}`);
        replay(m, end);
        assert.strictEqual(digest(m), seen[end], `back ${n} then forward ${n}`);
      }
      // Random jumps in both directions land on the same states.
      let x = 12345;
      for (let i = 0; i < 40; i++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        const t = x % (end + 1);
        h.seek(m, t);
        assert.strictEqual(digest(m), seen[t], `seek ${t}`);
      }
    });
  }

  it('replays typed console input at the same step', () => {
    const m = boot('test/dap/fixtures/input.rasm');
    const h = new History(1_000_000, 50);
    h.begin(m);
    m.run(100);
    h.record(m);
    m.feedInput('hey\n');
    m.run(200);
    h.record(m);
    const after = digest(m);
    const t = m.icount;
    assert.strictEqual(m.outputText(), 'hey\n');
    h.seek(m, 90);
    assert.strictEqual(m.outputText(), '');
    replay(m, t);
    assert.strictEqual(digest(m), after);
  });

  it('keeps only `limit` steps: older instruction counts cannot be reached', () => {
    const m = boot('test/dap/fixtures/spin.rasm');
    const h = new History(100_000);
    h.begin(m);
    while (m.icount < 1_000_000) {
      m.run(Math.min(h.stepsUntilDue(m.icount), 10_000));
      h.record(m);
    }
    assert.ok(h.start > 0 && h.start <= m.icount - 100_000, `start ${h.start}`);
    assert.throws(() => h.seek(m, h.start - 1), /before the start of recorded history/);
    const t = m.icount - 100_000;
    h.seek(m, t);
    assert.strictEqual(m.icount, t);
    assert.strictEqual(m.register(1), Math.floor(t / 2)); // mov, then add/jmp pairs
  });

  it('an edit forks the timeline: forward keeps the edit, going back before it forgets it', () => {
    const m = boot('test/dap/fixtures/spin.rasm');
    const h = new History(1_000_000, 100);
    h.begin(m);
    m.run(250);
    h.record(m);
    m.setRegister(1, 1_000_000); // the loop counter
    h.fork(m);
    m.run(250);
    h.record(m);
    assert.strictEqual(m.register(1), 1_000_000 + 125);
    h.seek(m, 400);
    assert.strictEqual(m.register(1), 1_000_000 + 75, 'after the edit: replay starts from the edited snapshot');
    h.seek(m, 200);
    assert.strictEqual(m.register(1), 100);
    h.seek(m, 400);
    assert.strictEqual(m.register(1), 200, 'the edit was in a future that no longer happens');
  });

  it('costs at most a few bytes per step when little memory changes', () => {
    const m = boot('test/dap/fixtures/spin.rasm');
    const h = new History(100_000_000);
    h.begin(m);
    while (m.icount < 5_000_000) {
      m.run(Math.min(h.stepsUntilDue(m.icount), 5_000_000 - m.icount));
      h.record(m);
    }
    assert.ok(h.bytes / m.icount < 16, `${(h.bytes / m.icount).toFixed(2)} bytes per step`);
  });

  it('a huge history is held to a byte budget: the oldest snapshots go, the newest stay reachable', () => {
    const m = boot('test/dap/fixtures/spin.rasm');
    const budget = 512 * 1024;
    const h = new History(Number.MAX_SAFE_INTEGER, 1000, 8, budget);
    h.begin(m);
    while (m.icount < 2_000_000) {
      m.run(Math.min(h.stepsUntilDue(m.icount), 2_000_000 - m.icount));
      h.record(m);
    }
    assert.ok(h.bytes <= budget, `${h.bytes} bytes kept`);
    assert.ok(h.start > 0, 'the window starts later than the run');
    const t = m.icount - 1000;
    h.seek(m, t);
    assert.strictEqual(m.register(1), Math.floor(t / 2));
  });
});
