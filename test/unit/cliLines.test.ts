// The CLI's --events and --trace lines carry the cycle count beside the step count (spec §10: the
// cycle count is shown wherever the instruction count is shown).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCommand } from '../../cli/run';
import { THREE_SYSCALLS } from '../../scripts/benchWorkloads';
import { printBytes, printText } from './helpers/printing';
import { gatesAcrossPages, identityPaging } from './helpers/cpu';
import { assembleText } from '../../language/assembler';
import { Machine } from '../../emulator';
import { GuestOutput } from '../../debug-adapter/engine/guestOutput';

function run(src: string, flags: string[], err?: (s: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-cli-'));
  try {
    const file = path.join(dir, 'p.rasm');
    fs.writeFileSync(file, src);
    // The guest's bytes come as bytes (written unchanged), the CLI's own lines as text.
    const chunks: Buffer[] = [];
    const code = runCommand([file, ...flags], (s) => chunks.push(typeof s === 'string' ? Buffer.from(s) : Buffer.from(s)), err ?? (() => undefined));
    const out = Buffer.concat(chunks).toString('utf8');
    return err ? `${out}[exit ${code}]` : out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}


describe('CLI lines: steps and cycles', () => {
  it('--events prints each transition\'s step and cycle counts, as the machine recorded them', () => {
    const json = JSON.parse(run(THREE_SYSCALLS, ['--json'])) as { instructions: number; cycles: number };
    const lines = run(THREE_SYSCALLS, ['--events']).split('\n').filter((l) => l.startsWith('['));
    assert.strictEqual(lines.length, 6);
    const counts = lines.map((l) => /^\[\s*(\d+)\s+(\d+)c\]/.exec(l)!.slice(1).map(Number));
    for (let k = 1; k < counts.length; k++) assert.ok(counts[k][0] > counts[k - 1][0] && counts[k][1] > counts[k - 1][1], lines[k]);
    // After the last syscall's trap the handler's cmp, jz and out run: 3 steps, 3 cycles (default costs: 1 a step).
    const [steps, cycles] = counts[counts.length - 1];
    assert.deepStrictEqual([json.instructions - steps, json.cycles - cycles], [3, 3]);
    assert.ok(cycles > steps, 'traps and irets cost more than a step');
  });

  it('--trace prints the step and cycle counts after each instruction; the last are the run\'s', () => {
    const json = JSON.parse(run(THREE_SYSCALLS, ['--json'])) as { instructions: number; cycles: number };
    const lines = run(THREE_SYSCALLS, ['--trace']).split('\n').filter((l) => /^\s*\d+\s+\d+c\s/.test(l));
    assert.strictEqual(lines.length, json.instructions);
    const last = /^\s*(\d+)\s+(\d+)c/.exec(lines[lines.length - 1])!.slice(1).map(Number);
    assert.deepStrictEqual(last, [json.instructions, json.cycles]);
  });
});

/** What the Debug Console shows of `src`'s output, flushed every 7 steps (characters split between flushes). */
function debugConsole(src: string): string {
  const res = assembleText(src, 'p.rasm');
  assert.ok(res.ok, JSON.stringify(res.diagnostics));
  const m = new Machine();
  m.load(res.segments, res.entry);
  let text = '';
  const out = new GuestOutput(m, (t) => (text += t));
  while (m.run(7) === 'limit') out.flush();
  out.flush();
  return text;
}

describe('CLI and Debug Console output', () => {
  it('the console\'s bytes are UTF-8 text: Korean and accents print as written', () => {
    assert.strictEqual(run(printText('café 안녕\\n'), []), 'café 안녕\n');
    // --trace runs one step at a time: a character's bytes come in separate pieces and stay whole.
    const traced = run(printText('안녕'), ['--trace']);
    assert.ok(traced.includes('안') && traced.includes('녕') && !traced.includes('\ufffd'));
  });

  it('the Debug Console gets the same text, a character split between two flushes kept whole', () => {
    assert.strictEqual(debugConsole(printText('가나')), '가나');
  });

  it('the Debug Console shows a character cut off by the power-off as U+FFFD (it waited for the rest)', () => {
    // 가 (EA B0 80), then the first byte of another character, then power-off.
    assert.strictEqual(debugConsole(printBytes([0xea, 0xb0, 0x80, 0xea])), '가\ufffd');
  });

  it('--trace names only addresses: push 0 stays push 0 although _start is at 0', () => {
    const lines = run(`${printText('x')}\n    push 0`, ['--trace']).split('\n');
    assert.ok(lines.some((l) => /cmp r2, 0 /.test(l)), lines.slice(0, 6).join('\n'));
    assert.ok(!lines.some((l) => /cmp r2, _start/.test(l)));
  });

  it('--trace shows the steps that run no instruction as what they are: idle ticks, a delivery, a dropped interrupt', () => {
    const halt = `_start: mov sp, 0x7000
    mov r1, 0x8000
    wrsr ivt, r1
    mov r1, h
    st [0x8000 + 32 * 8], r1
    mov r1, 1
    st [0x8000 + 32 * 8 + 4], r1
    mov r1, 5
    out 0x40, r1
    sti
    hlt
    mov r1, 7
    out 0xF4, r1
h:  mov r1, 0
    out 0x40, r1
    iret`;
    const lines = run(halt, ['--trace']).split('\n');
    assert.ok(lines.filter((l) => l.includes('(idle: halted)')).length >= 1, lines.join('\n'));
    assert.strictEqual(lines.filter((l) => l.includes('(interrupt 32 delivered)') && l.includes('irq timer')).length, 1);
    assert.strictEqual(lines.filter((l) => l.includes('mov r1, 7')).length, 1, 'the instruction after hlt runs once, after the handler');
    // The timer without a gate: its interrupts are dropped, each a step, none an instruction.
    const drop = '_start: mov r1, 10\n    out 0x40, r1\n    sti\n    mov r2, 100\n.l: sub r2, 1\n    jnz .l\n    out 0xF4, r2';
    const dl = run(drop, ['--trace']).split('\n');
    const dropped = dl.filter((l) => l.includes('(interrupt dropped: no gate)')).length;
    assert.ok(dropped >= 15, `${dropped} dropped`);
    assert.strictEqual(dl.filter((l) => / sub r2, 1 /.test(l)).length, 100, 'each instruction once');
    // The timer's gate on a page not mapped yet: its delivery faults, the #PF handler maps it, the interrupt comes again.
    const fault = `_start: mov sp, 0x8000
${gatesAcrossPages()}
${identityPaging('    mov r1, 0\n    st [0x11018], r1')}
    mov r1, 30
    out 0x40, r1
    sti
spin: jmp spin
pfh: mov r1, 0x6007
    st [0x11018], r1
    iret
tick: out 0xF4, r1`;
    const fl = run(fault, ['--trace']).split('\n');
    assert.strictEqual(fl.filter((l) => l.includes('(interrupt 32: its delivery faulted)') && l.includes('#PF')).length, 1, fl.slice(-8).join('\n'));
    assert.strictEqual(fl.filter((l) => l.includes('(interrupt 32 delivered)')).length, 1, 'then delivered, once');
  });

  it('a program placed past the end of memory is told at its line, not as a usage error', () => {
    let err = '';
    const out = run('_start: nop\n.org 0x20000000\n    nop', [], (s) => (err += s));
    assert.strictEqual(out, '[exit 1]');
    assert.match(err, /p\.rasm:3:1: error: this line's bytes are at physical 0x20000000, outside the machine's 16 MiB of memory/);
    // A memory that is not a whole number of MiB is told as it is, not rounded down.
    for (const [size, said] of [['64K', '64 KiB'], ['1536K', '1.5 MiB']]) {
      err = '';
      run('_start: nop\n.org 0x200000\n    nop', ['--memory', size], (s) => (err += s));
      assert.match(err, new RegExp(`outside the machine's ${said.replace('.', '\\.')} of memory`), size);
    }
  });
});

