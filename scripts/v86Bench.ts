// Runs the x86 twins of the realistic workloads in v86 (the x86 PC emulator that compiles guest
// code to WebAssembly; npm package `v86`, a devDependency) inside this Node process, and prints
// them beside Ringside's figures. v86 starts each image as a multiboot kernel: no BIOS (the
// package ships none), the guest begins in flat 32-bit protected mode at its first instruction.
import * as fs from 'fs';
import * as path from 'path';
import { benchMachine } from './benchWorkloads';
import { HELD_OUT } from './heldOutWorkloads';
import { assembleX86, hasBinutils, MARK_PORT, X86_WORKLOADS } from './v86Workloads';
import { ENGLISH } from '../emulator/isa/vocabulary';

export interface V86Run {
  /** Wall time from the guest's first instruction to its final `hlt`. */
  seconds: number;
  /** Guest instructions executed, by v86's own counter. */
  steps: number;
  /** The value the guest wrote to the mark port before halting. */
  checksum: number;
}

/** The parts of v86's untyped internals used here: the I/O port table and the event bus. */
interface V86Inside {
  v86: { cpu: { io: { register_write(port: number, device: object, w8?: (v: number) => void, w16?: (v: number) => void, w32?: (v: number) => void): void } } };
  bus: { register(name: string, fn: () => void, self: object): void };
  add_listener(name: 'emulator-loaded', fn: () => void): void;
  run(): Promise<void>;
  get_instruction_counter(): number;
  destroy(): Promise<void>;
}

type V86Ctor = new (options: object) => V86Inside;

/** The project's lib (ES2022, no DOM) has no WebAssembly types: the two calls used here. */
const Wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object>; instantiate(module: object, env: object): Promise<{ exports: object }> } }).WebAssembly;

let loaded: { V86: V86Ctor; wasm: object; version: string } | undefined;

/** Load v86 and compile its WebAssembly once; each run then only instantiates it. */
async function v86(): Promise<NonNullable<typeof loaded>> {
  if (loaded) return loaded;
  const dir = path.dirname(require.resolve('v86'));
  const mod = (await import('v86')) as unknown as { V86: V86Ctor };
  const wasm = await Wasm.compile(fs.readFileSync(path.join(dir, 'v86.wasm')));
  const version = (JSON.parse(fs.readFileSync(path.join(dir, '..', 'package.json'), 'utf8')) as { version: string }).version.replace(/\+.*/, '');
  loaded = { V86: mod.V86, wasm, version };
  return loaded;
}

/** Version of the installed v86 package (for the report's heading). */
export async function v86Version(): Promise<string> {
  return (await v86()).version;
}

/** Run one x86 image (flat, loaded by its multiboot header) in a fresh v86, as Ringside runs each in a fresh Machine. */
export async function runV86(image: Uint8Array, timeoutMs = 60_000): Promise<V86Run> {
  const { V86, wasm } = await v86();
  const buffer = image.buffer.slice(image.byteOffset, image.byteOffset + image.byteLength);
  const e = new V86({
    autostart: false,
    memory_size: 16 << 20,
    multiboot: { buffer },
    log_level: 0,
    wasm_fn: async (env: object) => (await Wasm.instantiate(wasm, env)).exports,
  });
  try {
    return await new Promise<V86Run>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the x86 guest did not halt within ${timeoutMs / 1000} s (fault or triple fault?)`)), timeoutMs);
      let t0: bigint | undefined;
      let checksum: number | undefined;
      e.add_listener('emulator-loaded', () => {
        // The first write starts the clock, the second carries the checksum.
        const mark = (v: number) => {
          if (t0 === undefined) t0 = process.hrtime.bigint();
          else checksum = v >>> 0;
        };
        e.v86.cpu.io.register_write(MARK_PORT, {}, mark, mark, mark);
        e.bus.register(
          'cpu-event-halt',
          () => {
            const t1 = process.hrtime.bigint();
            // hlt is reported from inside a compiled block: v86 adds the block's instructions to
            // its counter when the block returns, so the counter is read once control is back.
            setImmediate(() => {
              clearTimeout(timer);
              if (t0 === undefined || checksum === undefined) reject(new Error('the x86 guest halted without writing its start mark and checksum'));
              else resolve({ seconds: Number(t1 - t0) / 1e9, steps: e.get_instruction_counter(), checksum });
            });
          },
          {},
        );
        void e.run();
      });
    });
  } finally {
    await e.destroy();
  }
}

/** One run of an R32 program in a fresh Machine (compiler on, the default), timed like bench.ts times its runs. */
function ringsideRun(src: string): V86Run {
  const m = benchMachine(src);
  const t0 = process.hrtime.bigint();
  const stop = m.run();
  const t1 = process.hrtime.bigint();
  if (stop !== 'poweroff') throw new Error(`R32 workload stopped early: ${ENGLISH.stop(m.stopCause)}`);
  return { seconds: Number(t1 - t0) / 1e9, steps: m.icount, checksum: m.exitCode >>> 0 };
}

export interface RingsideFigure {
  name: string;
  src: string;
  /** Best time and instruction count of the R32 program, compiler on. */
  seconds: number;
  steps: number;
}

type Timed = { seconds: number; steps: number };
const faster = <T extends Timed>(a: T | undefined, b: T): T => (a === undefined || b.seconds < a.seconds ? b : a);

function print(name: string, r: Timed, v: V86Run): void {
  const ms = (s: number) => `${(s * 1e3).toFixed(1)} ms`;
  const mips = (x: Timed) => `${(x.steps / x.seconds / 1e6).toFixed(0)} MIPS`;
  const ahead = v.seconds / r.seconds;
  const verdict = ahead >= 1 ? `Ringside ${ahead.toFixed(2)}x faster` : `v86 ${(1 / ahead).toFixed(2)}x faster`;
  console.log(
    `${name.padEnd(40)} ${mips(r).padStart(9)} ${ms(r.seconds).padStart(9)} | ${mips(v).padStart(9)} ${ms(v.seconds).padStart(9)}  ${verdict.padEnd(24)} (target Ringside ahead of v86) ${ahead > 1 ? 'ok' : 'MISSED'}`,
  );
}

/**
 * Best of `repeat` v86 runs of each suite workload that has an x86 twin, beside Ringside's figure
 * from bench.ts; then the held-out programs, Ringside and v86 alternating run by run. Every x86
 * twin must compute its R32 program's checksum. The target compares time for the same work
 * (the ISAs differ; MIPS are shown for both).
 */
export async function v86Comparison(ringside: RingsideFigure[], repeat: number): Promise<void> {
  if (!hasBinutils()) {
    console.log('v86 comparison: skipped (GNU as and ld not found; they come with gcc, or apt-get install binutils)');
    return;
  }
  const version = await v86Version();
  const suite = X86_WORKLOADS.map((x) => {
    const r = ringside.find((f) => f.name === x.name);
    if (!r) throw new Error(`no R32 workload named '${x.name}'`);
    return { name: x.name, src: r.src, r: r as Timed | undefined, image: assembleX86(x), v: undefined as V86Run | undefined };
  });
  const held = HELD_OUT.map((h) => ({ name: h.name, src: h.src, r: undefined as Timed | undefined, image: assembleX86(h), v: undefined as V86Run | undefined }));
  for (let round = 0; round < repeat; round++) {
    for (const c of suite) c.v = faster(c.v, await runV86(c.image));
    for (const c of held) {
      c.r = faster(c.r, ringsideRun(c.src));
      c.v = faster(c.v, await runV86(c.image));
    }
  }
  const report = (cases: typeof suite) => {
    for (const c of cases) {
      const want = ringsideRun(c.src).checksum;
      if (c.v!.checksum !== want) throw new Error(`v86 computed ${c.v!.checksum} for '${c.name}', Ringside ${want}: the x86 twin does not do the same work`);
      print(c.name, c.r!, c.v!);
    }
  };
  console.log(`-- side by side with v86 ${version} (x86 → WebAssembly compiler) in this process, fresh emulator each run: Ringside (compiler on) | v86, same algorithm and work (x86 twins: scripts/v86Workloads.ts)`);
  report(suite);
  console.log('-- held-out programs of the same kinds, not used to tune the compiler (scripts/heldOutWorkloads.ts): Ringside | v86');
  report(held);
}
