/**
 * The loop compiler must never change what the machine does: random register-only loops,
 * with timer interrupts landing inside them, with paging on, and with code rewritten after
 * compilation, give the same machine with and without it.
 */
import * as assert from 'assert';
import { cpu, identityPaging, trapKernel } from './helpers/cpu';
import * as path from 'path';
import { compiledBlocks } from '../../emulator/blocks';
import { Machine } from '../../emulator';
import { assemble } from '../../language/assembler';
import { nodeHost } from '../../language/nodeHost';
import { compilesInLoop } from '../../emulator/jit';
import { BRANCHES, formLine, REGISTER_FORMS } from './helpers/isaForms';
import { mainProgram, sampleFolders } from '../../scripts/sampleRuns';

/** Whether the loop compiler or the block compiler compiled anything in this machine. */
const compiled = (f: ReturnType<typeof cpu>) => f.m.cpu.loops.size > 0 || compiledBlocks(f.m.cpu) > 0;

/** A deterministic pseudo-random sequence (tests must be reproducible). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

// From the table: every register form the loop compiler takes, every conditional jump.
const OPS = REGISTER_FORMS.filter((f) => compilesInLoop(f.form.op));
const JUMPS = BRANCHES;

function randomLoop(seed: number): string {
  const next = rng(seed);
  const reg = () => `r${1 + (next() % 12)}`;
  const lines: string[] = [];
  for (let i = 1; i <= 12; i++) lines.push(`    mov r${i}, ${(next() | 0) % 100000}`);
  lines.push(`    mov r0, ${50 + (next() % 500)}`);
  lines.push('loop:');
  const n = 1 + (next() % 6);
  for (let i = 0; i < n; i++) {
    lines.push(formLine(OPS[next() % OPS.length], reg, () => (next() | 0) % 4096));
  }
  const j = JUMPS[next() % JUMPS.length];
  // Either a counted loop or one ending on a random condition (bounded by r0 as well).
  lines.push('    sub r0, 1', '    jz done');
  if (next() % 2) lines.push(`    cmp ${reg()}, ${reg()}`, `    ${j} loop`, '    jmp loop');
  else lines.push('    jmp loop');
  lines.push('done:');
  return lines.join('\n');
}

function fingerprint(f: ReturnType<typeof cpu>): string {
  const m = f.m;
  return JSON.stringify({ regs: Array.from({ length: 16 }, (_, i) => m.register(i)), status: m.sysReg(0), pc: m.pc, icount: m.icount, events: f.events().map((e) => [e.icount, e.cause, e.pcBefore]), s: m.summary(), out: m.outputText() });
}

function both(src: string, steps = 2_000_000): [string, string, boolean] {
  const a = cpu(src, { jit: false });
  const b = cpu(src, { jit: true });
  a.run(steps);
  b.run(steps);
  return [fingerprint(a), fingerprint(b), compiled(b)];
}

describe('Loop compiler: identical results', function () {
  // 400 machines and their compiled code: more than mocha's default on a loaded machine.
  this.timeout(120_000);
  it('200 random register-only loops give the same registers, flags, pc and step count', () => {
    let compiled = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const src = `.org 0\n_start:\n${randomLoop(seed)}\n    out 0xF4, r1`;
      const [a, b, c] = both(src);
      assert.strictEqual(b, a, `seed ${seed}:\n${src}`);
      if (c) compiled++;
    }
    assert.ok(compiled > 50, `loops were actually compiled (${compiled})`);
  });

  it('timer interrupts land on the same steps inside a compiled loop', () => {
    for (const period of [7, 13, 100, 997]) {
      const handler = `    add r11, 1\n    cmp r11, 40\n    jz .off\n    iret\n.off: out 0xF4, r11`;
      const src = trapKernel(`    mov r1, ${period}\n    out 0x40, r1\n    sti\nspin: add r8, 3\n    xor r9, r8\n    jmp spin`, { handler });
      const [a, b, c] = both(src);
      assert.ok(c, 'the spin loop was compiled');
      assert.strictEqual(b, a, `period ${period}`);
    }
  });

  it('with paging on, the TLB fetch hits are counted the same', () => {
    const paging = identityPaging();
    const src = trapKernel(`    mov r0, 100000\nl: add r1, r0\n    sub r0, 1\n    jnz l\n    int 0x30`, { pagingSetup: paging, ring: 3 });
    const [a, b, c] = both(src);
    assert.ok(c);
    assert.strictEqual(b, a);
  });

  it('code rewritten after compilation runs as rewritten', () => {
    // The loop runs, is compiled, then the program patches its add into a sub and runs it again.
    const src = `.org 0
_start:
    mov r5, 0
again:
    mov r0, 1000
loop: add r1, 1
    sub r0, 1
    jnz loop
    add r5, 1
    cmp r5, 2
    jz done
    ld r2, [patch]
    st [loop], r2
    jmp again
done: out 0xF4, r1
patch: sub r1, 1`;
    const [a, b] = both(src);
    assert.strictEqual(b, a);
    assert.strictEqual(JSON.parse(b).regs[1], 0, '1000 adds then 1000 subs');
  });

  it('a breakpoint inside a hot loop still stops there', () => {
    const src = `.org 0\n_start: mov r0, 100000\nloop: add r1, 1\n    sub r0, 1\n    jnz loop\n    out 0xF4, r1`;
    const f = cpu(src, { jit: true });
    f.run(1000); // hot and compiled by now
    assert.ok(compiled(f));
    f.m.setBreakpoint(f.sym('loop') + 8, true);
    f.run().expectStop('breakpoint');
    assert.strictEqual(f.m.pc, f.sym('loop') + 8);
  });
});

describe('Loop compiler: the samples run the same with and without it', () => {
  const root = path.resolve(__dirname, '../../../samples');
  for (const d of sampleFolders(root)) {
    it(d, () => {
      const main = mainProgram(path.join(root, d))!;
      const prog = assemble(path.join(root, d, main), nodeHost);
      assert.ok(prog.ok);
      const runIt = (jit: boolean) => {
        const m = new Machine({ jit });
        m.cpu.compileBudget = false;
        m.load(prog.segments, prog.entry);
        const stop = m.run(50_000_000);
        return JSON.stringify({ stop, pc: m.pc, s: m.summary(), out: m.outputText(), regs: Array.from({ length: 16 }, (_, i) => m.register(i)) });
      };
      assert.strictEqual(runIt(true), runIt(false));
    });
  }
});
