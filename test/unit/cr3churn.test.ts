/**
 * A guest that loads a new page directory address into cr3 again and again must not grow the
 * host's memory with it: per-address-space state (the shadow call stacks) is forgotten when
 * empty and kept for at most MAX_SHADOWS spaces, least recently used first out.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { assembleText } from '../../language/assembler';
import { Machine } from '../../emulator';
import { MAX_LIVE_BLOCKS } from '../../emulator/cpu';
import { MAX_SHADOWS } from '../../emulator/shadow';
import { compiledBlocks, ENTRY_HOT_ARRIVALS } from '../../emulator/blocks';

/** `n` different cr3 values; with `call`, each address space gets a frame on its shadow stack. */
export function churnSource(n: number, call: boolean): string {
  return `
_start:
    mov r1, 0
    mov r2, ${n}
    mov sp, 0x8000
.loop:
    wrsr cr3, r1
${call ? '    call f\n' : ''}    add r1, 0x1000
    sub r2, 1
    jnz .loop
    mov r1, 0
    out 0xF4, r1
f:  wrsr cr3, r1
    ret
`;
}

function machineFor(src: string): Machine {
  const asm = assembleText(src, 'churn.rasm');
  assert.ok(asm.ok, JSON.stringify(asm.diagnostics));
  const m = new Machine({});
  m.load(asm.segments, asm.entry);
  return m;
}

describe('cr3 churn: host memory stays bounded', () => {
  it('100,000 different cr3 values keep at most a handful of shadow stacks', () => {
    const m = machineFor(churnSource(100_000, false));
    assert.strictEqual(m.run(10_000_000), 'poweroff');
    assert.ok(m.cpu.shadows.size <= 2, `kept ${m.cpu.shadows.size}`);
  });

  it('address spaces that keep frames are capped at MAX_SHADOWS, and the current one keeps its frames', () => {
    const src = churnSource(5_000, true);
    const m = machineFor(src);
    m.setBreakpoint(assembleText(src, 'churn.rasm').symbols.get('f')!.load!, true);
    for (let i = 0; i < 3000; i++) assert.strictEqual(m.run(1_000_000), 'breakpoint');
    assert.ok(m.cpu.shadows.size <= MAX_SHADOWS, `kept ${m.cpu.shadows.size}`);
    assert.strictEqual(m.callDepth, 1);
    // A state snapshot (what history keeps) carries the bounded set, not one stack per cr3 ever loaded.
    assert.ok(m.saveState().shadows.length <= MAX_SHADOWS);
  });

  it('the CLI runs 100,000 cr3 values in a 96 MiB heap', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-churn-'));
    const file = path.join(dir, 'churn.rasm');
    fs.writeFileSync(file, churnSource(100_000, false));
    const cli = path.resolve(__dirname, '../../../dist/cli.js');
    const r = spawnSync(process.execPath, ['--max-old-space-size=96', cli, 'run', file], { encoding: 'utf8', timeout: 120_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.strictEqual(r.status, 0, r.stderr);
  });
});

/** A guest that writes a small function to `n` new addresses and calls each `calls` times: ever new code for the block compiler, hot enough to compile. */
export function codegenSource(n: number, calls = 1): string {
  return `
_start:
    mov sp, 0x8000
    mov r6, 0x100000
    mov r7, ${n}
    ld r2, [tmpl]
    ld r3, [tmpl + 4]
.loop:
    st [r6], r2
    st [r6 + 4], r3
${'    call r6\n'.repeat(calls)}    add r6, 0x40
    sub r7, 1
    jnz .loop
    mov r1, 0
    out 0xF4, r1
tmpl:
    add r0, r1
    ret
`;
}

describe('code churn: compiled blocks stay bounded', () => {
  it('code run once at ever new addresses is never compiled: heat counts arrivals at one address, not at a hash slot', () => {
    // 40,000 functions at 40,000 addresses: more than the 65,536-slot heat table tells apart by word (they collide).
    const m = machineFor(codegenSource(40_000));
    let most = 0;
    let stop;
    while ((stop = m.run(20_000)) === 'limit') most = Math.max(most, compiledBlocks(m.cpu));
    assert.strictEqual(stop, 'poweroff');
    assert.ok(most <= 8, `compiled ${most} blocks: only the guest's own loop should be`);
  });

  it('a guest making new code at ever new addresses keeps at most the cap of compiled blocks, and computes what the interpreter does', function () {
    this.timeout(120_000);
    assert.ok(MAX_LIVE_BLOCKS <= 5_000, 'a few KB each: at most some tens of MB');
    // 2,000 new functions, each called more often than a block needs to compile: ten times the cap of 200.
    const src = codegenSource(2_000, ENTRY_HOT_ARRIVALS + 2);
    const m = machineFor(src);
    m.cpu.maxLiveBlocks = 200;
    // Every function hot enough compiles (the cap is what is tested here, not the compile budget).
    m.cpu.compileBudget = false;
    let most = 0;
    while (m.run(20_000) === 'limit') most = Math.max(most, compiledBlocks(m.cpu));
    assert.strictEqual(m.cpu.r[1] >>> 0, 0);
    assert.ok(most <= 200 && most > 100, `kept at most ${most}`);
    // The cache started afresh at least once (this many new blocks do not fit), and the result is the interpreter's.
    const plain = machineFor(src);
    plain.cpu.jit = false;
    assert.strictEqual(plain.run(100_000_000), 'poweroff');
    assert.strictEqual(m.cpu.r[0], plain.cpu.r[0]);
    assert.strictEqual(m.icount, plain.icount);
  });
});
