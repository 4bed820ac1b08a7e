/**
 * One graded run: the program runs one instruction at a time so that OS rules can look at
 * every step (the instruction about to run, its ring, the TLB against the page tables), and
 * so that a failure can name the step and source line where it happened.
 */
import { EventKind, explainWalk, isa, Machine, StopReason, tlbEntries } from '../emulator';
import type { AssembleResult } from '../language/assembler';
import type { OsRule, RunOptions } from './spec';
import { hex32 as hex } from '../emulator/isa/hex';
import { english, vocabulary, type Translate } from '../emulator/isa/vocabulary';
import { k } from '../language/l10n';

/** A step of the run: `icount` instructions had completed before it; pc is the instruction. */
export interface Place {
  icount: number;
  pc: number;
  /** Physical address of the instruction (the source map's key), or -1. */
  pa: number;
}

export interface Violation {
  place: Place;
  message: string;
}

export interface RunResult {
  stop: StopReason;
  machine: Machine;
  /** After the step at `place`, the console held `length` bytes. */
  outputMarks: { length: number; place: Place }[];
  /** The last step that changed each general register. */
  regWrites: (Place | undefined)[];
  /** The last step that stored to each physical word (only the words checks ask about). */
  storeAt: Map<number, Place>;
  /** Per OS rule (by its key): the steps that broke it, the first few kept. */
  violations: Map<string, { count: number; first: Violation[] }>;
  /** The step the run stopped before (or the last one). */
  end: Place;
}

export function ruleKey(r: OsRule): string {
  return JSON.stringify(r);
}

interface Step {
  m: Machine;
  place: Place;
  d: isa.Decoded | undefined;
}

interface Monitor {
  before?(s: Step): void;
  after?(s: Step, firstNewEvent: number): void;
}


/** The data address of a load or store (ld, ldb, st, stb), or undefined for other instructions. */
function dataAccess(m: Machine, d: isa.Decoded | undefined): { va: number; write: boolean; size: number } | undefined {
  if (!d || d.def.group !== 'load/store') return undefined;
  const write = d.def.mnemonic.startsWith('st');
  const op = d.operands.find((o) => o.kind === 'mreg' || o.kind === 'mdisp' || o.kind === 'mabs');
  if (!op) return undefined;
  const va = op.kind === 'mabs' ? op.imm : op.kind === 'mreg' ? m.register(op.reg) : (m.register(op.reg) + op.imm) | 0;
  return { va: va >>> 0, write, size: d.def.mnemonic.endsWith('b') ? 1 : 4 };
}

function monitorFor(rule: OsRule, record: (v: Violation) => void, say: Translate): Monitor {
  switch (rule.kind) {
    case 'no-privileged-in-ring3':
      return {
        before({ m, place, d }) {
          if (m.cpl !== 3 || !d || d.def.privileged === 'none') return;
          if (d.def.privileged === 'cpl0-but-status' && d.operands[1]?.imm === 0) return;
          record({ place, message: say(k('ring 3 reached `{0}`, a privileged instruction'), isa.formatInstruction(d)) });
        },
      };
    case 'tlb-coherent': {
      // A stale translation is one the TLB still holds but the page tables in memory no
      // longer give: the PTE was changed and the page used before invlpg or a cr3 write.
      const check = (m: Machine, place: Place, va: number, access: 'read' | 'write' | 'fetch', what: string) => {
        if (!m.paging) return;
        const w = explainWalk(m.cpu, va, access);
        if (!w.tlbHit) return;
        const cached = m.translate(va);
        if (w.fault && w.fault.kind === 'page-fault' && (w.fault.errorCode & 1) !== 0) {
          // A protection fault: stale only if the cached entry still allows what memory forbids
          // (a hit the TLB's own permissions refuse is walked again by the CPU).
          const e = tlbEntries(m.cpu).find((t) => t.va === (va & ~0xfff) >>> 0 && t.tag === m.currentVm);
          const user = m.cpl === 3;
          if (!e || (access === 'write' && !e.writable) || (user && !e.user) || (access === 'fetch' && !e.executable)) return;
        }
        if (w.fault) record({ place, message: say(k("{0} used the TLB's cached translation of {1} (frame {2}), but the page tables no longer allow it: {3}"), what, hex(va), hex(cached & ~0xfff), vocabulary(say).walkFault(w.fault)) });
        else if (w.pa !== undefined && (w.pa & ~0xfff) !== (cached & ~0xfff)) record({ place, message: say(k("{0} used the TLB's cached translation of {1} (frame {2}), but the page tables now say frame {3}: the PTE changed without invlpg or a cr3 write"), what, hex(va), hex(cached & ~0xfff), hex(w.pa & ~0xfff)) });
      };
      let lastFetchPage = -1;
      let lastCr3 = -1;
      return {
        before({ m, place, d }) {
          const cr3 = m.sysReg(3);
          const page = place.pc >>> 12;
          if (page !== lastFetchPage || cr3 !== lastCr3) check(m, place, place.pc, 'fetch', say(k('fetching the instruction')));
          lastFetchPage = page;
          lastCr3 = cr3;
          const a = dataAccess(m, d);
          if (a) check(m, place, a.va, a.write ? 'write' : 'read', `\`${isa.formatInstruction(d!)}\``);
        },
      };
    }
    case 'user-pointers': {
      const number = isa.syscallNumber(rule.syscall) ?? Number(rule.syscall);
      const bufReg = isa.registerNumber(rule.buffer);
      const lenReg = isa.registerNumber(rule.length);
      if (bufReg === undefined || lenReg === undefined) throw new Error(`user-pointers: unknown register '${bufReg === undefined ? rule.buffer : rule.length}'`);
      let active: { buf: number; len: number } | undefined;
      return {
        after({ m, place }, first) {
          for (let i = first; i < m.eventCount; i++) {
            const e = m.event(i);
            if (e.kind === EventKind.Trap && e.vector === 0x80 && e.fromCpl === 3 && e.syscall === number) {
              active = { buf: m.register(bufReg) >>> 0, len: m.register(lenReg) >>> 0 };
            } else if (e.kind === EventKind.Iret && e.toCpl === 3) active = undefined;
            else if (active && e.kind === EventKind.Trap && e.vector === 14 && e.fromCpl === 0) {
              record({ place, message: say(k("the kernel page-faulted at {0} while handling {1}(): it used the caller's pointer {2} without checking it"), hex(m.sysReg(2)), rule.syscall, hex(active.buf)) });
            }
          }
        },
        before({ m, place, d }) {
          if (!active || m.cpl !== 0) return;
          const a = dataAccess(m, d);
          if (!a || a.va + a.size <= active.buf || a.va >= active.buf + active.len) return;
          const w = explainWalk(m.cpu, a.va, rule.write || a.write ? 'write' : 'read', 3);
          if (w.fault) {
            const text = a.write
              ? k("in {0}(), the kernel wrote {1} for the caller's buffer {2}, which ring 3 may not write: the pointer was not checked")
              : rule.write
                ? k("in {0}(), the kernel read {1} for the caller's buffer {2}, which ring 3 may not write: the pointer was not checked")
                : k("in {0}(), the kernel read {1} for the caller's buffer {2}, which ring 3 may not read: the pointer was not checked");
            record({ place, message: say(text, rule.syscall, hex(a.va), hex(active.buf)) });
          }
        },
      };
    }
  }
}

/** `say`: the violations' words in the report's language. */
export function graded(program: AssembleResult, run: RunOptions, rules: OsRule[], watchWords: number[], say: Translate = english): RunResult {
  const m = new Machine({ stdin: run.stdin.length ? run.stdin : undefined });
  m.load(program.segments, program.entry);
  const violations = new Map<string, { count: number; first: Violation[] }>();
  const monitors = rules.map((r) => {
    const v = { count: 0, first: [] as Violation[] };
    violations.set(ruleKey(r), v);
    return monitorFor(r, (x) => {
      v.count++;
      if (v.first.length < 5) v.first.push(x);
    }, say);
  });
  const needDecode = monitors.length > 0 || watchWords.length > 0;
  const watched = new Set(watchWords);
  const storeAt = new Map<number, Place>();
  const outputMarks: RunResult['outputMarks'] = [];
  const regWrites: (Place | undefined)[] = new Array(16).fill(undefined);
  const regs = new Int32Array(16);
  let stop: StopReason = 'limit';
  let place: Place = { icount: 0, pc: m.pc, pa: m.translate(m.pc) };
  let outLen = 0;
  while (m.icount < run.maxInstructions) {
    const pc = m.pc;
    const pa = m.translate(pc);
    place = { icount: m.icount, pc, pa };
    let d: isa.Decoded | undefined;
    if (needDecode && pa >= 0) d = isa.decode(m.readWordPhysical(pa), m.readWordPhysical(m.translate((pc + 4) | 0)));
    const step: Step = { m, place, d };
    for (const mon of monitors) mon.before?.(step);
    let storePa = -1;
    if (watched.size && d) {
      const a = dataAccess(m, d);
      if (a?.write) storePa = m.translate(a.va) & ~3;
    }
    for (let i = 0; i < 16; i++) regs[i] = m.register(i);
    const events = m.eventCount;
    stop = m.run(1);
    for (let i = 0; i < 16; i++) if (m.register(i) !== regs[i]) regWrites[i] = place;
    if (m.outputLength !== outLen) {
      outLen = m.outputLength;
      outputMarks.push({ length: outLen, place });
    }
    if (storePa >= 0 && watched.has(storePa)) storeAt.set(storePa, place);
    for (const mon of monitors) mon.after?.(step, events);
    if (stop !== 'limit') break;
  }
  // The run's last step, whatever ended it (a triple fault or a deadlock happens in the instruction at `place`).
  return { stop, machine: m, outputMarks, regWrites, storeAt, violations, end: place };
}
