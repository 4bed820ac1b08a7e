/**
 * samples/type2 prints what one emulated byte costs on each path, measured by its kvm driver with
 * the cycle counter (port 0x44): from its first reading after the VM exit to its last before the
 * VM entry. The README says how that relates to the machine's own transition log: each exit comes
 * 2 cycles before the first reading (`st`, `in`) and each entry 3 after the last (`st`, `ld`,
 * `vmresume`), so the log's exit-to-entry spans are 5 cycles longer. This holds the program's
 * figures to the log of `ringside run --events`, so the README's explanation cannot go stale.
 */
import * as assert from 'assert';
import * as path from 'path';
import { spawnSync } from 'child_process';

const ROOT = path.resolve(__dirname, '../../..');
const OUTSIDE = 5;        // cycles of the log's span outside the program's two readings

/** The log's exit-to-entry spans of the guest's `out` to `port`, from `--events`. */
function spans(events: string, pc: string): number[] {
  const out: number[] = [];
  let exit: number | undefined;
  for (const line of events.split('\n')) {
    const c = /(\d+)c\]/.exec(line);
    if (!c) continue;
    if (/vmexit i\/o/.test(line) && line.includes(`pc ${pc} `)) exit = Number(c[1]);
    else if (/vmexit/.test(line)) exit = undefined;
    else if (/vmentry/.test(line) && exit !== undefined) { out.push(Number(c[1]) - exit); exit = undefined; }
  }
  return out;
}

describe('samples/type2: cycles per byte against the transition log', () => {
  it('the program\'s figures are the log\'s exit-to-entry spans less 5 cycles', () => {
    const rasm = path.join(ROOT, 'samples/type2/type2.rasm');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'run', rasm, '--events'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const m = /cycles per byte, exit-entry\s+(\d+)\s+(\d+)/.exec(r.stdout);
    assert.ok(m, 'the table\'s cycles row');
    // guest.rasm's `out 0x10` (serial, through qemu) and `out 0x12` (in the kernel)
    const asm = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'asm', rasm, '--listing'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
    const pcOf = (text: string) => {
      const l = asm.split('\n').find((x) => x.includes(text));
      assert.ok(l, `'${text}' in the listing`);
      return `0x${/\b([0-9a-f]{8})\b/i.exec(l!)![1].toLowerCase()}`;
    };
    for (const [i, text, bytes] of [[1, 'out 0x10, r3', 16], [2, 'out 0x12, r3', 13]] as const) {
      const s = spans(r.stdout, pcOf(text));
      assert.strictEqual(s.length, bytes, `${text}: bytes`);
      const mean = s.reduce((a, b) => a + b, 0) / s.length;
      const printed = Number(m![i]);
      assert.ok(Math.abs(mean - OUTSIDE - printed) <= 0.5, `${text}: the log's mean span ${mean}, less ${OUTSIDE}, against the program's ${printed}`);
    }
  });
});
