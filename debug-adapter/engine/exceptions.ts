/**
 * Exception breakpoint filters (system call, page fault, ... VM exit) and the
 * sentences that explain a transition to a student. The machine stops right
 * after any transition of the kinds an enabled filter needs; which filter
 * matches, and whether its condition holds, is decided here.
 */
import { EventKind, TransitionEvent, isa } from '../../emulator';
import type { Expr } from '../../language/expr';
import { EvalEnv, evaluate, parse, hex8 } from './expressions';
import { exitQualNote } from './vmcsNotes';
import { k, t, words } from '../../language/l10n';
import { describeNamed, NAMED_FILTER_TEXT, TransitionNames } from './transitionNames';

export type FilterId =
  | 'syscall' | 'page-fault' | 'general-protection' | 'invalid-opcode' | 'interrupt'
  | 'ring-change' | 'vm-entry' | 'vm-exit' | 'triple-fault' | 'hypercall' | 'device-model';

export interface FilterDef {
  id: FilterId;
  label: string;
  description: string;
  conditionDescription: string;
  default: boolean;
  /** Event kinds the machine must stop after for this filter. */
  kinds: EventKind[];
  /** `names`: what the program calls its transitions (transitionNames.ts). */
  matches(ev: TransitionEvent, names: TransitionNames): boolean;
}

const trap = (v: number) => (ev: TransitionEvent) => ev.kind === EventKind.Trap && ev.vector === v;

export const FILTERS: readonly FilterDef[] = [
  { id: 'syscall', label: k('System call'), description: k('Stop at the kernel entry of every system call (syscall / int 0x80).'), conditionDescription: k('names or numbers, e.g. "write" or "write, exit" or "1"; or an expression'), default: false, kinds: [EventKind.Trap], matches: trap(0x80) },
  { id: 'page-fault', label: k('Page fault'), description: k('Stop at the page-fault handler (trap 14).'), conditionDescription: k('any of read, write, fetch, user, kernel, not-present, protection; or an expression such as cr2 == 0x401000'), default: false, kinds: [EventKind.Trap], matches: trap(14) },
  { id: 'general-protection', label: k('General protection'), description: k('Stop at the general-protection handler (trap 13): a privileged instruction outside ring 0, or a gate the ring may not use.'), conditionDescription: k('an expression, e.g. cpl == 0'), default: false, kinds: [EventKind.Trap], matches: trap(13) },
  { id: 'invalid-opcode', label: k('Invalid opcode'), description: k('Stop at the invalid-opcode handler (trap 6).'), conditionDescription: k('an expression'), default: false, kinds: [EventKind.Trap], matches: trap(6) },
  { id: 'interrupt', label: k('Interrupt'), description: k('Stop when an external interrupt (timer, console) is delivered.'), conditionDescription: k('timer, console or vector numbers; or an expression'), default: false, kinds: [EventKind.Interrupt], matches: (ev) => ev.kind === EventKind.Interrupt },
  { id: 'ring-change', label: k('Ring change'), description: k('Stop whenever the privilege level (CPL) changes.'), conditionDescription: k('"3->0", "0->3", or a target ring such as "0"'), default: false, kinds: [EventKind.Trap, EventKind.Interrupt, EventKind.Iret], matches: (ev) => ev.fromCpl !== ev.toCpl && ev.kind !== EventKind.TripleFault },
  { id: 'vm-entry', label: k('VM entry'), description: k('Stop at the guest\'s first instruction after vmlaunch / vmresume.'), conditionDescription: k('VM numbers, e.g. "1"; or an expression'), default: false, kinds: [EventKind.VmEntry], matches: (ev) => ev.kind === EventKind.VmEntry },
  { id: 'vm-exit', label: k('VM exit'), description: k('Stop at the hypervisor when a guest exits.'), conditionDescription: k('exit reasons by name or number, e.g. "hlt, vmcall", "cr3 access" or "48"; "cr3 read" / "cr3 write" for one direction; or an expression'), default: false, kinds: [EventKind.VmExit], matches: (ev) => ev.kind === EventKind.VmExit },
  { id: 'hypercall', label: NAMED_FILTER_TEXT.hypercallLabel, description: NAMED_FILTER_TEXT.hypercallDescription, conditionDescription: k('an expression'), default: false, kinds: [EventKind.Trap], matches: (ev, names) => names.of(ev)?.kind === 'hypercall' },
  { id: 'device-model', label: NAMED_FILTER_TEXT.deviceModelLabel, description: NAMED_FILTER_TEXT.deviceModelDescription, conditionDescription: k('an expression'), default: false, kinds: [EventKind.Iret], matches: (ev, names) => names.of(ev)?.kind === 'device-model-return' },
  { id: 'triple-fault', label: k('Triple fault'), description: k('Stop on a triple fault (a fault while delivering a fault).'), conditionDescription: k('an expression'), default: true, kinds: [EventKind.VmExit], matches: (ev) => ev.kind === EventKind.VmExit && ev.exitReason === isa.ExitReason.TRIPLE_FAULT },
];

export type Condition = (ev: TransitionEvent, env: EvalEnv) => boolean;

const items = (text: string, sep: RegExp) => text.split(sep).map((s) => s.trim().toLowerCase()).filter(Boolean);

/** A filter's condition: a list of names the filter understands, else an expression. Throws on bad input. */
export function parseFilterCondition(id: FilterId, text: string | undefined): Condition | undefined {
  if (!text || !text.trim()) return undefined;
  const list = listCondition(id, text);
  if (list) return list;
  let node: Expr;
  try {
    node = parse(text);
  } catch (e) {
    throw new Error(t('{0} condition: {1}', t(FILTERS.find((f) => f.id === id)!.label), (e as Error).message));
  }
  // A lone word the filter's list does not know ("io" for i/o) is a misspelt name, not an
  // expression that could only fail at the first stop: said now, with what the filter takes.
  if (node.kind === 'sym' && isa.registerNumber(node.name) === undefined && !isa.sysRegByName(node.name) && !isa.vmcsFieldByName(node.name)) {
    const f = FILTERS.find((x) => x.id === id)!;
    throw new Error(t("{0} condition: '{1}' is not one of the names this filter knows ({2})", t(f.label), text.trim(), t(f.conditionDescription)));
  }
  return (_ev, env) => evaluate(node, env).value !== 0;
}

function listCondition(id: FilterId, text: string): Condition | undefined {
  switch (id) {
    case 'syscall': {
      const nums = items(text, /[\s,|]+/).map((s) => (/^\d+$/.test(s) ? Number(s) : isa.syscallNumber(s)));
      if (nums.length === 0 || nums.some((n) => n === undefined)) return undefined;
      return (ev) => nums.includes(ev.syscall);
    }
    case 'vm-exit': {
      // "cr3 read" / "cr3 write": one direction of reason 28, told apart by exit_qual bit 4.
      const CR3 = isa.ExitReason.CR3_ACCESS;
      const tests = items(text, /[,|]+/).map((s): ((ev: TransitionEvent) => boolean) | undefined => {
        const dir = /^cr3[\s_-]*(read|write)s?$/.exec(s);
        if (dir) return (ev) => ev.exitReason === CR3 && ((ev.detail & isa.CR3_QUAL_READ) !== 0) === (dir[1] === 'read');
        const n = isa.exitReasonNumber(s);
        return n === undefined ? undefined : (ev) => ev.exitReason === n;
      });
      if (tests.length === 0 || tests.some((t) => t === undefined)) return undefined;
      return (ev) => tests.some((t) => t!(ev));
    }
    case 'interrupt': {
      const nums = items(text, /[\s,|]+/).map((s) => (s === 'timer' ? 32 : s === 'console' ? 33 : /^(0x[0-9a-f]+|\d+)$/.test(s) ? Number(s) : undefined));
      if (nums.length === 0 || nums.some((n) => n === undefined)) return undefined;
      return (ev) => nums.includes(ev.vector);
    }
    case 'vm-entry': {
      const nums = items(text, /[\s,|]+/).filter((s) => s !== 'vm').map((s) => (/^\d+$/.test(s) ? Number(s) : undefined));
      if (nums.length === 0 || nums.some((n) => n === undefined)) return undefined;
      return (ev) => nums.includes(ev.toVm);
    }
    case 'ring-change': {
      // A ring that does not exist ("7", "-1", "3->7") would otherwise be read as an expression that is always true.
      const bad = /^\s*(?:ring\s*)?(-?\d+)?\s*(?:->|→)?\s*(?:ring\s*)?(-?\d+)?\s*$/i.exec(text)?.slice(1).find((r) => r !== undefined && !/^[0-3]$/.test(r));
      if (bad !== undefined) throw new Error(t('{0} condition: {1}', t('Ring change'), t('there is no ring {0} (the rings are 0 to 3)', bad)));
      const m = /^\s*(?:ring\s*)?([0-3])?\s*(->|→)?\s*(?:ring\s*)?([0-3])?\s*$/i.exec(text);
      if (!m || (!m[1] && !m[3])) return undefined;
      const from = m[2] ? m[1] : undefined;
      const to = m[2] ? m[3] : m[3] ?? m[1];
      return (ev) => (from === undefined || ev.fromCpl === Number(from)) && (to === undefined || ev.toCpl === Number(to));
    }
    case 'page-fault': {
      const words = items(text, /[\s,|]+/);
      const pf = isa.decodePfError;
      const bits: Record<string, (e: number) => boolean> = {
        read: (e) => pf(e).access === 'read', write: (e) => pf(e).access === 'write', fetch: (e) => pf(e).access === 'fetch',
        user: (e) => pf(e).user, kernel: (e) => !pf(e).user, 'not-present': (e) => !pf(e).present, protection: (e) => pf(e).present,
      };
      if (words.length === 0 || words.some((w) => !bits[w])) return undefined;
      return (ev) => words.every((w) => bits[w](ev.detail));
    }
    default:
      return undefined;
  }
}

/** What the describer may look at: the stop's cr2, and the instruction at an address. */
export interface DescribeContext {
  cr2?: number;
  instructionAt?(va: number): string | undefined;
  /** Why the page-fault address faults now (from a walk), if known. */
  faultReason?(va: number, access: 'read' | 'write' | 'fetch', cpl: number): string | undefined;
  /** What the program calls its transitions (a hypercall, a return to the device model). */
  names?: TransitionNames;
}

/** A transition in a student's words: "page fault: write to not-present page 0x00401000 at ring 3". */
export function describeEvent(ev: TransitionEvent, ctx: DescribeContext = {}): string {
  const named = ctx.names?.of(ev);
  if (named) return describeNamed(named, ev);
  const at = words.where(ev.fromVm, ev.fromCpl);
  switch (ev.kind) {
    case EventKind.Trap:
      return describeTrap(ev, at, ctx);
    case EventKind.Interrupt:
      return t('interrupt: {0} (vector {1}) taken at {2}, pc {3}', isa.vectorName(ev.vector), ev.vector, at, hex8(ev.pcBefore));
    case EventKind.Iret:
      return t('iret: {0} → {1}, back to {2}', at, words.where(ev.toVm, ev.toCpl), hex8(ev.pcAfter));
    case EventKind.VmEntry:
      return ev.detail
        ? t('VM entry: VM {0} launched at guest pc {1} (guest ring {2})', ev.toVm, hex8(ev.pcAfter), ev.toCpl)
        : t('VM entry: VM {0} resumed at guest pc {1} (guest ring {2})', ev.toVm, hex8(ev.pcAfter), ev.toCpl);
    case EventKind.VmExit: {
      const why = ev.exitReason === isa.ExitReason.EXCEPTION ? t('exception {0} (vector {1})', isa.vectorName(ev.detail), ev.detail) : isa.exitReasonName(ev.exitReason);
      // The qualification says which access exited: a CR3 read or write, an in or an out.
      const q = ev.exitReason === isa.ExitReason.CR3_ACCESS || ev.exitReason === isa.ExitReason.IO ? `: ${exitQualNote(ev.exitReason, ev.detail)}` : '';
      return t('VM exit from VM {0}: {1} (reason {2}{3}) at guest pc {4}, guest ring {5}', ev.fromVm, why, ev.exitReason, q, hex8(ev.pcBefore), ev.fromCpl);
    }
    case EventKind.TripleFault:
      return ev.fromVm
        ? t('triple fault at {0} ({1}): a fault while delivering a fault — the VM exits to the hypervisor', hex8(ev.pcBefore), at)
        : t('triple fault at {0} ({1}): a fault while delivering a fault', hex8(ev.pcBefore), at);
  }
}

function describeTrap(ev: TransitionEvent, at: string, ctx: DescribeContext): string {
  const insn = ctx.instructionAt?.(ev.pcBefore);
  switch (ev.vector) {
    case 0x80: {
      const name = isa.syscallName(ev.syscall);
      return name ? t('system call {0} ({1}) from {2}', name, ev.syscall, at) : t('system call number ({0}) from {1}', ev.syscall, at);
    }
    case 14: {
      const e = isa.decodePfError(ev.detail);
      const kind = e.present ? t('protected') : t('not-present');
      const va = ctx.cr2;
      const page = va === undefined ? '' : ' ' + hex8(va);
      let text = e.access === 'fetch' ? t('page fault: instruction fetch from {0} page{1} at {2}', kind, page, at) : e.access === 'write' ? t('page fault: write to {0} page{1} at {2}', kind, page, at) : t('page fault: read from {0} page{1} at {2}', kind, page, at);
      if (e.present && va !== undefined) {
        const why = ctx.faultReason?.(va, e.access, ev.fromCpl);
        if (why) text += ` (${why})`;
      }
      return text;
    }
    case 13: {
      const def = insn ? isa.instructionByName(insn.split(' ')[0]) : undefined;
      const why = def && isa.ring0Only(def) ? t('`{0}` is privileged (ring 0 only)', insn!) : def?.gate !== undefined ? (ev.fromCpl === 0 ? t('`{0}` uses a gate ring 0 may not call (not present, or a ring-1 gate)', insn!) : t('`{0}` uses a gate this ring may not call (DPL too low)', insn!)) : insn ? t('at `{0}`', insn) : t('address outside memory or a bad gate');
      return t('general protection fault at {0}, pc {1}: {2}', at, hex8(ev.pcBefore), why);
    }
    case 6: {
      const why = insn ? t('`{0}` is not allowed here (VMX instructions need root mode, ring 0)', insn) : t('the word there is not an instruction');
      return t('invalid opcode at {0} ({1}): {2}', hex8(ev.pcBefore), at, why);
    }
    case 0:
      return insn ? t('divide by zero at {0} ({1}): `{2}`', hex8(ev.pcBefore), at, insn) : t('divide by zero at {0} ({1})', hex8(ev.pcBefore), at);
    case 3:
      return t('breakpoint instruction (brk) at {0} ({1})', hex8(ev.pcBefore), at);
    default:
      return insn ? t('trap {0} ({1}) from {2} at `{3}`', ev.vector, isa.vectorName(ev.vector), at, insn) : t('trap {0} ({1}) from {2}', ev.vector, isa.vectorName(ev.vector), at);
  }
}
