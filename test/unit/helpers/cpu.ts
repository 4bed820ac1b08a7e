/**
 * A fluent CPU helper for emulator tests: assemble a source, set state, run,
 * then assert registers, memory, stop reason and transition events.
 *   cpu(src).reg('r1', 5).run().expectStop('poweroff').expectReg('r2', 10)
 */
import * as assert from 'assert';
import { assembleText } from '../../../language/assembler';
import { EventKind, Machine, MachineConfig, StopReason, TransitionEvent } from '../../../emulator';
import { isa } from '../../../emulator';
import { gateFill, identityTable } from '../../../scripts/asmSnippets';
import { ENGLISH } from '../../../emulator/isa/vocabulary';

export class Fluent {
  readonly m: Machine;
  readonly symbols: Map<string, { value: number }>;
  lastStop: StopReason | undefined;

  constructor(src: string, config: MachineConfig = {}) {
    const res = assembleText(src, 'test.rasm');
    if (!res.ok) {
      throw new Error('test program does not assemble:\n' + res.diagnostics.map((d) => `${d.line + 1}:${d.col + 1} ${d.message}`).join('\n'));
    }
    this.symbols = res.symbols;
    this.m = new Machine(config);
    // The compilers take whatever gets hot, however short the run: the tests hold compiled code to the
    // interpreter (the compile budget, which waits a million steps, is compileBudget.test.ts's).
    this.m.cpu.compileBudget = false;
    this.m.load(res.segments, res.entry);
  }

  /** Address of a label or .equ. */
  sym(name: string): number {
    const s = this.symbols.get(name);
    if (!s) throw new Error(`no symbol ${name}`);
    return s.value >>> 0;
  }

  reg(name: string, v: number): this {
    this.m.setRegister(regNo(name), v | 0);
    return this;
  }

  run(maxSteps = 1_000_000): this {
    this.lastStop = this.m.run(maxSteps);
    return this;
  }

  /** Run exactly until the next stop of any kind (default budget). */
  step(n = 1): this {
    this.lastStop = this.m.run(n);
    return this;
  }

  expectStop(reason: StopReason): this {
    assert.strictEqual(this.lastStop, reason, `stop reason (message: ${ENGLISH.stop(this.m.stopCause)}, pc 0x${this.m.pc.toString(16)})`);
    return this;
  }

  expectReg(name: string, v: number): this {
    assert.strictEqual(this.m.register(regNo(name)) >>> 0, v >>> 0, `${name} = 0x${(this.m.register(regNo(name)) >>> 0).toString(16)}, expected 0x${(v >>> 0).toString(16)}`);
    return this;
  }

  /** Arithmetic flags as a string of the set ones, e.g. 'ZC'. */
  expectFlags(flags: string): this {
    const st = this.m.sysReg(0);
    const got = ['Z', 'N', 'C', 'V'].filter((f, i) => st & (1 << i)).join('');
    assert.strictEqual(got, flags, 'flags');
    return this;
  }

  expectSys(name: string, v: number): this {
    const id = isa.sysRegByName(name)!.id;
    assert.strictEqual(this.m.sysReg(id) >>> 0, v >>> 0, `${name} = 0x${(this.m.sysReg(id) >>> 0).toString(16)}`);
    return this;
  }

  word(pa: number): number {
    return this.m.readWordPhysical(pa) >>> 0;
  }

  expectWord(pa: number, v: number): this {
    assert.strictEqual(this.word(pa), v >>> 0, `word at 0x${pa.toString(16)} = 0x${this.word(pa).toString(16)}`);
    return this;
  }

  expectExit(code: number): this {
    this.expectStop('poweroff');
    assert.strictEqual(this.m.exitCode, code, 'exit code');
    return this;
  }

  expectOutput(text: string): this {
    assert.strictEqual(this.m.outputText(), text);
    return this;
  }

  events(): TransitionEvent[] {
    const out: TransitionEvent[] = [];
    for (let i = 0; i < this.m.eventCount; i++) out.push(this.m.event(i));
    return out;
  }

  expectCauses(causes: string[]): this {
    assert.deepStrictEqual(this.events().map((e) => e.cause), causes);
    return this;
  }

  lastEvent(kind?: EventKind): TransitionEvent {
    const evs = this.events().filter((e) => kind === undefined || e.kind === kind);
    assert.ok(evs.length > 0, 'no event');
    return evs[evs.length - 1];
  }
}

export function cpu(src: string, config?: MachineConfig): Fluent {
  return new Fluent(src, config);
}

function regNo(name: string): number {
  const n = isa.registerNumber(name);
  if (n === undefined) throw new Error(`bad register ${name}`);
  return n;
}

/**
 * A test kernel: IVT at 0x1000 whose 256 gates all lead to `trap_handler`
 * (DPL 3 unless listed in `dpl0`), ksp 0x7000, sp 0x8000. The handler copies
 * the five-word frame to 0x6000..0x6010, stores cr2 at 0x6014 and powers off
 * with the vector as exit code. The test body goes at label `test`, entered at
 * CPL `ring` through iret (with user stack 0x9000 for rings 1-3), with the other `status` bits given (IF).
 */
export function trapKernel(body: string, opts: { ring?: number; status?: number; dpl0?: number[]; handler?: string; data?: string; pagingSetup?: string } = {}): string {
  const ring = opts.ring ?? 0;
  const dpl0 = opts.dpl0 ?? [];
  return `
.org 0
_start:
    mov sp, 0x8000${gateFill(0x1000, 'trap_handler')}
${dpl0.map((v) => `    mov r3, 1\n    st [0x1000 + ${v} * 8 + 4], r3`).join('\n')}
    mov r1, 0x1000
    wrsr ivt, r1
    mov r1, 0x7000
    wrsr ksp, r1
${opts.pagingSetup ?? ''}
    push 0x9000
    push ${(ring << 12) | (opts.status ?? 0)}
    push test
    push 0
    push 0
    mov r1, 0
    mov r2, 0
    mov r3, 0
    iret

trap_handler:
${opts.handler ?? `    ld r10, [sp]
    st [0x6000], r10
    ld r10, [sp + 4]
    st [0x6004], r10
    ld r10, [sp + 8]
    st [0x6008], r10
    ld r10, [sp + 12]
    st [0x600C], r10
    ld r10, [sp + 16]
    st [0x6010], r10
    rdsr r10, cr2
    st [0x6014], r10
    ld r10, [sp + 4]
    out 0xF4, r10`}

.org 0x2000
test:
${body}
${opts.data ?? ''}
`;
}

/** The frame the trap handler saved: error, vector, pc, status, sp. */
export function savedFrame(f: Fluent): { error: number; vector: number; pc: number; status: number; sp: number; cr2: number } {
  return { error: f.word(0x6000), vector: f.word(0x6004), pc: f.word(0x6008), status: f.word(0x600c), sp: f.word(0x6010), cr2: f.word(0x6014) };
}

/**
 * An IVT at 0x5F00 whose #PF gate (0x5F70, handler `pfh`) is on page 5 and whose timer gate (0x6000,
 * `tick`) and, with `sys`, `int 0x80` gate (0x6300, `sys`, DPL 3) are on page 6: a test leaves page 6
 * unmapped to make their delivery fault (traps.ts faultWhileDelivering). Written before paging is on.
 */
export function gatesAcrossPages(sys = false): string {
  const gate = (at: number, handler: string, flags: number) => `    mov r1, ${handler}\n    st [${at}], r1\n    mov r1, ${flags}\n    st [${at + 4}], r1`;
  return [gate(0x5f70, 'pfh', 1), gate(0x6000, 'tick', 1), ...(sys ? [gate(0x6300, 'sys', 7)] : []), '    mov r1, 0x5F00\n    wrsr ivt, r1'].join('\n');
}

/** Identity-map 0..4 MiB with P|W|U (page table at 0x11000, directory at 0x10000), apply `tweaks`, turn paging on with `cr0`. */
export function identityPaging(tweaks = '', cr0 = '1'): string {
  return `${identityTable(0x11000, 0x10000)}
${tweaks}
    mov r1, 0x10000
    wrsr cr3, r1
    mov r1, ${cr0}
    wrsr cr0, r1
`;
}
