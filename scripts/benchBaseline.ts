/**
 * The interpreter as it was before the block compiler, rebuilt from this repository's history, so
 * that `npm run bench` measures "before" on this machine, in the same interleaved run and on the
 * same programs as "after". The speed targets were set as factors over a table of figures measured
 * on another machine with other programs: a factor over them mixes two machines and two programs.
 * The table's figure is still printed beside the measured one.
 *
 * The rebuild: `git archive` of the commit's emulator/ and language/ into a temporary folder,
 * bundled by esbuild (a devDependency, as the build uses) into one CommonJS file, loaded, deleted.
 * Without git or without the commit (a shallow clone, an unpacked archive) there is no baseline,
 * and the caller says why.
 */
import { execFileSync } from 'child_process';
import { buildSync } from 'esbuild';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import { benchMachine } from './benchWorkloads';

/** The last commit before the block compiler: the interpreter the speed targets were set against. */
export const BASELINE_COMMIT = '9000e1c88246508b2411a925cef389cb23c7c364';

/** The parts of that commit's Machine the benchmark uses (the same names as today's). */
export interface BaselineMachine {
  cpu: { jit: boolean; m32: Int32Array; r: Int32Array };
  readonly icount: number;
  load(segments: unknown, entry: number): void;
  run(): string;
}

export interface Baseline {
  commit: string;
  /** A fresh machine of that commit with `src` (R32 assembly) loaded, the loop compiler off: the interpreter alone. */
  machine(src: string): BaselineMachine;
}

interface BaselineModule {
  assembleText(src: string, file: string): { ok: boolean; segments: unknown; entry: number; diagnostics: { line: number; message: string }[] };
  Machine: new () => BaselineMachine;
}

/** Rebuild the baseline from git; a string says why there is none. */
export function loadBaseline(root: string, commit = BASELINE_COMMIT): Baseline | string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-baseline-'));
  try {
    let tar: Buffer;
    try {
      tar = execFileSync('git', ['archive', '--format=tar', commit, 'emulator', 'language'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    } catch (e) {
      return `commit ${commit.slice(0, 7)} not in this clone's history; in a shallow clone, git fetch --unshallow (${firstLine(e)})`;
    }
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    const out = path.join(dir, 'baseline.js');
    buildSync({
      stdin: { contents: "export { assembleText } from './language/assembler';\nexport { Machine } from './emulator';\n", resolveDir: dir, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: out,
      logLevel: 'silent',
    });
    const mod = createRequire(out)(out) as BaselineModule;
    return {
      commit,
      machine(src: string): BaselineMachine {
        const res = mod.assembleText(src, 'bench.rasm');
        if (!res.ok) throw new Error(`baseline assembler: ${res.diagnostics.map((d) => `${d.line + 1}: ${d.message}`).join('; ')}`);
        const m = new mod.Machine();
        m.load(res.segments, res.entry);
        m.cpu.jit = false;
        return m;
      },
    };
  } catch (e) {
    return `could not rebuild commit ${commit.slice(0, 7)} (${firstLine(e)})`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Whether the baseline runs `src` as today's machine does: the same stop, instruction count and
 * registers, so that the two MIPS figures are for the same work.
 */
export function sameWork(baseline: Baseline, src: string): boolean {
  const old = baseline.machine(src);
  const now = benchMachine(src);
  return old.run() === now.run() && old.icount === now.icount && old.cpu.r.join() === now.cpu.r.join();
}

const firstLine = (e: unknown) => String(e instanceof Error ? e.message : e).split('\n')[0];
