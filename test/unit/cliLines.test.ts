// The CLI's --events and --trace lines carry the cycle count beside the step count (spec §10: the
// cycle count is shown wherever the instruction count is shown).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCommand } from '../../cli/run';
import { kernel, TO_RING3 } from '../../scripts/benchWorkloads';

function run(src: string, flags: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-cli-'));
  try {
    const file = path.join(dir, 'p.rasm');
    fs.writeFileSync(file, src);
    let out = '';
    runCommand([file, ...flags], (s) => (out += s), () => undefined);
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Into ring 3, two system calls there and back, a third that powers off: 6 transitions. */
const SRC = kernel([[0x80, 'sys', 3]], `${TO_RING3}sys:    cmp r0, 1
        jz .exit
        iret
.exit:  out 0xF4, r0
user:   mov r0, 0
        syscall
        syscall
        mov r0, 1
        syscall`);

describe('CLI lines: steps and cycles', () => {
  it('--events prints each transition\'s step and cycle counts, as the machine recorded them', () => {
    const json = JSON.parse(run(SRC, ['--json'])) as { instructions: number; cycles: number };
    const lines = run(SRC, ['--events']).split('\n').filter((l) => l.startsWith('['));
    assert.strictEqual(lines.length, 6);
    const counts = lines.map((l) => /^\[\s*(\d+)\s+(\d+)c\]/.exec(l)!.slice(1).map(Number));
    for (let k = 1; k < counts.length; k++) assert.ok(counts[k][0] > counts[k - 1][0] && counts[k][1] > counts[k - 1][1], lines[k]);
    // After the last syscall's trap the handler's cmp, jz and out run: 3 steps, 3 cycles (default costs: 1 a step).
    const [steps, cycles] = counts[counts.length - 1];
    assert.deepStrictEqual([json.instructions - steps, json.cycles - cycles], [3, 3]);
    assert.ok(cycles > steps, 'traps and irets cost more than a step');
  });

  it('--trace prints the step and cycle counts after each instruction; the last are the run\'s', () => {
    const json = JSON.parse(run(SRC, ['--json'])) as { instructions: number; cycles: number };
    const lines = run(SRC, ['--trace']).split('\n').filter((l) => /^\s*\d+\s+\d+c\s/.test(l));
    assert.strictEqual(lines.length, json.instructions);
    const last = /^\s*(\d+)\s+(\d+)c/.exec(lines[lines.length - 1])!.slice(1).map(Number);
    assert.deepStrictEqual(last, [json.instructions, json.cycles]);
  });
});
