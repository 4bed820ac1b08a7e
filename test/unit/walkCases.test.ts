/**
 * One page walk, every consumer: a table of cases (paging off, entries not present, user and
 * write protection with and without WP, EPT refusing a table read or the page, a page outside
 * memory) run through the walker itself, the MMU's slow path, the tools' peek and the walk
 * explanation, which must all agree with the expected outcome.
 */
import * as assert from 'assert';
import { Machine, explainWalk } from '../../emulator';
import { translate, newWalkResult, WalkFail } from '../../emulator/translate';
import { walk, peekTranslate, pagePerm, pagePermSource } from '../../emulator/mmu';
import { TlbPerm } from '../../emulator/tlb';
import { PTE } from '../../emulator/isa/registers';
import { ACC_R, ACC_W, ACC_X } from '../../emulator/access';
import { cpu } from './helpers/cpu';
import { hypervisor } from './helpers/hypervisor';

const DIR = 0x10000;
const TABLE = 0x11000;
const P = 1, W = 2, U = 4;

interface Case {
  name: string;
  /** Writes the case's tables (guest tables at DIR/TABLE; the EPT, when on, identity at 0x50000/0x51000). */
  setup: (m32: Int32Array) => void;
  va: number;
  acc: 'read' | 'write' | 'fetch';
  user?: boolean;
  wp?: boolean;
  paging?: boolean;
  /** The host-physical address, or the fault: [kind, error code or qualification bits 0-2]. */
  expect: number | ['page-fault' | 'ept-violation' | 'outside-memory', number];
}

const map = (m32: Int32Array, va: number, frame: number, flags: number) => {
  m32[(DIR >>> 2) + (va >>> 22)] = TABLE | P | W | U;
  m32[(TABLE >>> 2) + ((va >>> 12) & 0x3ff)] = frame | flags;
};

const NATIVE: Case[] = [
  { name: 'paging off: linear = physical', setup: () => undefined, va: 0x3456, acc: 'read', paging: false, expect: 0x3456 },
  { name: 'a mapped page', setup: (m) => map(m, 0x400123, 0x7000, P | W | U), va: 0x400123, acc: 'write', user: true, expect: 0x7123 },
  { name: 'directory entry not present', setup: () => undefined, va: 0x800000, acc: 'read', expect: ['page-fault', 0] },
  { name: 'table entry not present (a user fetch)', setup: (m) => map(m, 0x400000, 0x7000, 0), va: 0x400010, acc: 'fetch', user: true, expect: ['page-fault', 4 | 16] },
  { name: 'a user access to a supervisor page', setup: (m) => map(m, 0x400000, 0x7000, P | W), va: 0x400000, acc: 'read', user: true, expect: ['page-fault', 1 | 4] },
  { name: 'ring 0 writes a read-only page, WP on', setup: (m) => map(m, 0x400000, 0x7000, P | U), va: 0x400000, acc: 'write', wp: true, expect: ['page-fault', 1 | 2] },
  { name: 'ring 0 writes a read-only page, WP off', setup: (m) => map(m, 0x400000, 0x7000, P | U), va: 0x400004, acc: 'write', expect: 0x7004 },
  { name: 'a page outside memory', setup: (m) => map(m, 0x400000, 0x7ffff000, P | W), va: 0x400000, acc: 'read', expect: ['outside-memory', 0] },
];

const EPT_CASES: Case[] = [
  { name: 'EPT: a mapped page', setup: (m) => map(m, 0x400000, 0x7000, P | W), va: 0x400008, acc: 'read', expect: 0x7008 },
  { name: 'EPT refuses the write of a read-only page', setup: (m) => { map(m, 0x400000, 0x7000, P | W); m[(0x51000 >>> 2) + 7] = 0x7000 | 1 | 4; }, va: 0x400000, acc: 'write', expect: ['ept-violation', 2] },
  { name: 'EPT refuses reading the guest\'s table', setup: (m) => { map(m, 0x400000, 0x7000, P | W); m[(0x51000 >>> 2) + (TABLE >>> 12)] = 0; }, va: 0x400000, acc: 'read', expect: ['ept-violation', 1] },
];

const ACC = { read: ACC_R, write: ACC_W, fetch: ACC_X };

function check(m: Machine, c: Case, eptp: number): void {
  const k = m.cpu;
  k.cr0 = (c.paging === false ? 0 : 1) | (c.wp ? 0x10000 : 0);
  k.cr3 = DIR;
  k.updateAccess();
  k.tlb.flushAll();
  const r = newWalkResult();
  const ok = translate(k.m32, k.memSize, k.cr0, k.cr3, eptp, c.va, ACC[c.acc], !!c.user, r);
  const mmu = walk(k, c.va, ACC[c.acc], !!c.user, false);
  k.tlb.flushAll();
  const explained = explainWalk(k, c.va, c.acc, c.user ? 3 : 0);
  if (typeof c.expect === 'number') {
    assert.ok(ok, `${c.name}: the walker translates`);
    assert.strictEqual(r.hpa, c.expect, `${c.name}: the walker`);
    assert.strictEqual(mmu, c.expect, `${c.name}: the MMU`);
    assert.strictEqual(explained.pa, c.expect, `${c.name}: the explanation`);
    assert.strictEqual(peekTranslate(k, c.va), c.expect, `${c.name}: the tools' peek`);
  } else {
    const [kind, code] = c.expect;
    const fails = { 'page-fault': WalkFail.PAGE_FAULT, 'ept-violation': WalkFail.EPT_VIOLATION, 'outside-memory': WalkFail.OUTSIDE_MEMORY };
    assert.ok(!ok, `${c.name}: the walker refuses`);
    assert.strictEqual(r.fail, fails[kind], `${c.name}: the walker's reason`);
    assert.strictEqual(r.error & (kind === 'ept-violation' ? 7 : 0xff), code, `${c.name}: the walker's code`);
    assert.strictEqual(mmu, -1, `${c.name}: the MMU refuses`);
    assert.strictEqual(explained.fault?.kind, kind, `${c.name}: the explanation's reason`);
    assert.strictEqual(explained.fault?.errorCode, code, `${c.name}: the explanation's code`);
    assert.strictEqual(explained.pa, undefined);
  }
}

describe('the page walk: one walker, every consumer agrees', () => {
  for (const c of NATIVE) {
    it(c.name, () => {
      const f = cpu('_start:\n    hlt');
      f.m.cpu.m32.fill(0, DIR >>> 2, (TABLE + 0x1000) >>> 2);
      c.setup(f.m.cpu.m32);
      check(f.m, c, 0);
    });
  }
  for (const c of EPT_CASES) {
    it(c.name, () => {
      // Stopped inside a running EPT guest (non-root), so the MMU walks with the VM's EPT.
      const f = cpu(hypervisor({ guest: '.spin: jmp .spin', ept: true })).run(100_000);
      assert.ok(f.m.cpu.nonRoot, 'stopped in the guest');
      const m32 = f.m.cpu.m32;
      m32.fill(0, DIR >>> 2, (TABLE + 0x1000) >>> 2);
      c.setup(m32);
      check(f.m, c, f.m.cpu.eptp);
    });
  }

  it('the TLB permissions of a walk are its entries\' W, U and D bits, in the function and in its source for compiled code', () => {
    const fromSource = new Function('both', 'pte', `return ${pagePermSource('both', 'pte')};`) as (both: number, pte: number) => number;
    for (let bits = 0; bits < 64; bits++) {
      const pde = (bits & 1 ? PTE.W : 0) | (bits & 2 ? PTE.U : 0) | PTE.P | PTE.A | (bits & 32 ? PTE.D : 0);
      const pte = (bits & 4 ? PTE.W : 0) | (bits & 8 ? PTE.U : 0) | (bits & 16 ? PTE.D : 0) | PTE.P | PTE.A | 0x7000;
      const both = pde & pte;
      const want = (both & PTE.W ? TlbPerm.W : 0) | (both & PTE.U ? TlbPerm.U : 0) | (pte & PTE.D ? TlbPerm.D : 0);
      assert.strictEqual(pagePerm(both, pte), want, `pde ${pde.toString(16)} pte ${pte.toString(16)}`);
      assert.strictEqual(fromSource(both, pte), want);
    }
  });
});
