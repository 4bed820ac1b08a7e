import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { assemble } from '../../language/assembler';
import { nodeHost } from '../../language/nodeHost';
import { Machine } from '../../emulator';

const HELLO = path.resolve(__dirname, '../../../samples/hello/hello.rasm');

function boot(config = {}): Machine {
  const res = assemble(HELLO, nodeHost);
  assert.ok(res.ok, res.diagnostics.map((d) => d.message).join('\n'));
  const m = new Machine(config);
  m.load(res.segments, res.entry);
  return m;
}

/** Everything observable about a machine, for bit-identical comparisons. */
function fingerprint(m: Machine): string {
  const regs = Array.from({ length: 16 }, (_, i) => m.register(i));
  const sys = Array.from({ length: 6 }, (_, i) => m.sysReg(i));
  const mem = m.readPhysical(0, m.cpu.memSize);
  let h = 0;
  for (let i = 0; i < mem.length; i += 4) h = (Math.imul(h, 31) + (mem[i] | (mem[i + 1] << 8) | (mem[i + 2] << 16) | (mem[i + 3] << 24))) | 0;
  return JSON.stringify({ pc: m.pc, icount: m.icount, regs, sys, h, out: m.outputText(), ev: m.eventCount, s: m.summary(), tlb: Array.from(m.cpu.tlb.key) });
}

describe('Machine: save/restore and determinism', () => {
  it('the same image and configuration give the same run, step for step', () => {
    const a = boot();
    const b = boot();
    a.run();
    b.run();
    assert.strictEqual(fingerprint(a), fingerprint(b));
  });

  it('restoring a mid-run snapshot gives an identical continuation', () => {
    const m = boot();
    m.run(5200); // in the middle of the kernel's work, after paging is on
    const snap = m.saveState();
    const mid = fingerprint(m);
    m.run();
    const end = fingerprint(m);
    m.restoreState(snap);
    assert.strictEqual(fingerprint(m), mid, 'restore gives back the state at the snapshot');
    m.run();
    assert.strictEqual(fingerprint(m), end, 'and the same continuation');
  });

  it('snapshots share unchanged pages: a second snapshot copies only what was written', () => {
    const m = boot();
    m.run(100);
    const s1 = m.saveState();
    m.run(100);
    const s2 = m.saveState();
    let shared = 0;
    for (let i = 0; i < s1.pages.length; i++) if (s1.pages[i] === s2.pages[i]) shared++;
    assert.ok(shared >= s1.pages.length - 4, `only a few pages differ (${s1.pages.length - shared})`);
  });

  it('restoring an earlier then a later snapshot of the same run works both ways', () => {
    const m = boot();
    m.run(1000);
    const early = m.saveState();
    const fe = fingerprint(m);
    m.run(4300);
    const late = m.saveState();
    const fl = fingerprint(m);
    m.restoreState(early);
    assert.strictEqual(fingerprint(m), fe);
    m.restoreState(late);
    assert.strictEqual(fingerprint(m), fl);
  });

  it('input typed later arrives at the same step on replay', () => {
    const m = boot();
    m.run(10);
    const snap = m.saveState();
    m.feedInput('abc');
    m.run(10);
    const after = fingerprint(m);
    m.restoreState(snap);
    m.run(10);
    assert.strictEqual(fingerprint(m), after);
  });

  it('a space\'s TLB counters read the same whatever was asked before (fetch hits counted apart are folded in)', () => {
    const res = assemble(path.resolve(__dirname, '../../../samples/hypervisor-ept/hypervisor-ept.rasm'), nodeHost);
    assert.ok(res.ok);
    for (const at of [20_000, 144_030]) {
      const m = new Machine();
      m.load(res.segments, res.entry);
      m.run(at);
      const tag = m.currentVm;
      const first = m.tlbStatsOf(tag);
      const viaSummary = tag === 0 ? m.summary().tlb : m.summary().vms.find((v) => v.id === tag)!.tlb;
      assert.deepStrictEqual(first, viaSummary, `at ${at}, space ${tag}`);
    }
  });

  it('memory size must be a positive multiple of 4 KiB', () => {
    assert.throws(() => new Machine({ memory: 1000 }), /multiple of 4 KiB/);
  });

  it('the hello sample runs to its expected output', () => {
    const m = boot();
    assert.strictEqual(m.run(), 'poweroff');
    const want = JSON.parse(fs.readFileSync(path.join(path.dirname(HELLO), 'expected.json'), 'utf8'));
    assert.strictEqual(m.outputText(), want.output);
  });
});
