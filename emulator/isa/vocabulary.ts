/**
 * The student's vocabulary: how every view (the CLI, the Debug Console, Variables, the Call Stack,
 * stop and step texts, event descriptions, the panels' pages) writes a number, says where the CPU
 * is, names a mode, a transition kind and a final stop. Written once so that a student reads the
 * same words for the same thing everywhere.
 *
 * Pure and translator-agnostic: each side hands it its own `t` (the adapter, the language server
 * and the CLI language/l10n's; the panels' pages their page kit's). Both look the English text up
 * in l10n/bundle.l10n.ko.json, so the Korean lives there, with the rest of the project's words.
 * The machine reports facts (a StopCause, a kind's index); the words are here.
 */
import { TRANSITION_KINDS, type TransitionKindName } from './abi';
import { hex, hex32, hexDigits } from './hex';

/** A final stop, as data: the machine reports it (cpu.ts), the vocabulary words it. */
export type StopCause = { kind: 'power-off'; code: number } | { kind: 'triple-fault'; pc: number } | { kind: 'halted'; pc: number; interruptsOff: boolean };

/** Why a translation walk failed, as data: the MMU's walk reports it (inspect.ts), the vocabulary words it. */
export type WalkFault =
  | { kind: 'page-fault'; errorCode: number; va: number; why: 'directory' | 'table' | 'user' | 'write' }
  | { kind: 'ept-violation'; errorCode: number; gpa: number }
  | { kind: 'outside-memory'; errorCode: number; gpa: number };

/** What the machine left out for its caps (Machine.limits): its output past the cap, transitions past the log. */
export interface Limits { outputCap: number; outputDropped: number; eventCapacity: number; eventsDropped: number }

/** A message in some language; {0}, {1}... are replaced by args (language/l10n's and the page kit's t). */
export type Translate = (message: string, ...args: Array<string | number>) => string;

/** The English words, the keys themselves with their arguments filled in. */
export const english: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));

export function vocabulary(t: Translate) {
  const where = (vm: number, cpl: number): string => (vm ? t('VM {0} ring {1}', vm, cpl) : t('ring {0}', cpl));
  // Looked up at each call, not once: the adapter learns its session's language after loading.
  const lane = (l: number): string => [t('ring 3'), t('ring 1/2'), t('ring 0'), t('hypervisor')][l] ?? String(l);
  // One call per kind, each with its English key written out (the l10n test finds the keys so).
  const kindLabels: Record<TransitionKindName, () => string> = {
    trap: () => t('trap'), interrupt: () => t('interrupt'), iret: () => t('iret'),
    vmentry: () => t('vmentry'), vmexit: () => t('vmexit'), 'triple-fault': () => t('triple-fault'),
  };
  const kindLabel = (k: TransitionKindName): string => kindLabels[k]();
  /**
   * An address space (a TLB entry's tag, a page table's owner): "host", "VM 1". Before any VM
   * exists (`vmx` false) there is no guest, so no host: the machine's one space is "CPU".
   */
  const space = (vm: number, vmx = true): string => (vm ? t('VM {0}', vm) : vmx ? t('host') : t('CPU'));
  return {
    /** Hex, lower case everywhere (hex.ts). */
    hex,
    hex32,
    hexDigits,
    /** Where the CPU is: "ring 3", "VM 1 ring 0". */
    where,
    /** Where the CPU is and in which role, for a status line: "ring 3 · user", "VM 1 ring 0 · non-root". */
    status(vm: number, cpl: number): string {
      const role = vm ? t('non-root') : cpl === 3 ? t('user') : cpl === 0 ? t('kernel') : '';
      return role ? `${where(vm, cpl)} · ${role}` : where(vm, cpl);
    },
    /** Where a machine is now (a Machine, or anything with its three facts). */
    whereNow: (m: { nonRoot: boolean; currentVm: number; cpl: number }): string => where(m.nonRoot ? m.currentVm : 0, m.cpl),
    space,
    /** The Call Stack's thread of an address space: "host" (or "CPU", as `space`), "VM 1 vCPU 0". */
    thread: (vm: number, vmx = true): string => (vm ? t('VM {0} vCPU 0', vm) : space(0, vmx)),
    /** The VMX mode: "root", "non-root, VM 1". */
    mode: (nonRoot: boolean, vm: number): string => (nonRoot ? t('non-root, VM {0}', vm) : t('root')),
    /** Who runs code at a level, and the tag a frame carries: "guest kernel" [VM 1 ring 0], "hypervisor" [root]. */
    runner(vm: number, cpl: number, vmx: boolean): { who: string; tag: string } {
      if (vm) return { who: cpl === 0 ? t('guest kernel') : cpl === 3 ? t('guest user') : t('guest ring {0}', cpl), tag: `[${where(vm, cpl)}]` };
      if (cpl === 3) return { who: t('user'), tag: '' };
      if (cpl === 0 && vmx) return { who: t('hypervisor'), tag: `[${t('root')}]` };
      return { who: t('kernel'), tag: `[${where(0, cpl)}]` };
    },
    /** A lane of the Ring Transitions timeline (0 ring 3, 1 rings 1-2, 2 ring 0, 3 the hypervisor in root mode). */
    lane,
    /** A level in words: "VM 1 ring 0", "hypervisor", "ring 3". */
    level: (l: number, vm: number): string => (vm > 0 && l !== 3 ? `${t('VM {0}', vm)} ${lane(l)}` : lane(l)),
    /** The transition kinds, in the order of EventKind: `name` is the machine's (filters, causes), `label` the student's. */
    kinds: (): { name: TransitionKindName; label: string }[] => TRANSITION_KINDS.map((name) => ({ name, label: kindLabel(name) })),
    kindLabel,
    /** What the caps left out, one note each ('output', 'events'): said, never dropped silently (docs/debugger.md, "Limits"). */
    limits(l: Limits): { key: 'output' | 'events'; text: string }[] {
      const notes: { key: 'output' | 'events'; text: string }[] = [];
      if (l.outputDropped > 0) notes.push({ key: 'output', text: t("output truncated: only the first {0} MiB of the guest's output is kept; {1} bytes after that were dropped", (l.outputCap / (1 << 20)).toFixed(0), l.outputDropped) });
      if (l.eventsDropped > 0) notes.push({ key: 'events', text: t('transition log full: only the first {0} transitions are kept; {1} later ones were counted but not recorded', l.eventCapacity.toLocaleString('en-US'), l.eventsDropped) });
      return notes;
    },
    /** Why a walk failed (explainWalk's fault): "page fault (#PF, error 0x00000007): a write to a read-only page". */
    walkFault(f: WalkFault): string {
      switch (f.kind) {
        case 'page-fault': {
          const why = {
            directory: () => t('directory entry {0} is not present', f.va >>> 22),
            table: () => t('table entry {0} is not present', (f.va >>> 12) & 0x3ff),
            user: () => t('a user access to a supervisor page'),
            write: () => t('a write to a read-only page'),
          }[f.why]();
          return t('page fault (#PF, error {0}): {1}', hex32(f.errorCode), why);
        }
        case 'ept-violation':
          return f.errorCode & 2
            ? t('EPT violation: write of guest-physical {0} not allowed (VM exit 48)', hex32(f.gpa))
            : f.errorCode & 4
              ? t('EPT violation: fetch of guest-physical {0} not allowed (VM exit 48)', hex32(f.gpa))
              : t('EPT violation: read of guest-physical {0} not allowed (VM exit 48)', hex32(f.gpa));
        case 'outside-memory':
          return t('physical address {0} is outside memory (#GP)', hex32(f.gpa));
      }
    },
    /** The machine's final stop in words ('' while it has not stopped for good). */
    stop(c: StopCause | null): string {
      if (!c) return '';
      switch (c.kind) {
        case 'power-off':
          return t('powered off with exit code {0}', c.code);
        case 'triple-fault':
          return t('triple fault at pc {0}: a fault while delivering a fault (is the IVT set up, and the kernel stack mapped?)', hex32(c.pc));
        case 'halted':
          return c.interruptsOff
            ? t('halted forever at pc {0}: hlt with interrupts disabled', hex32(c.pc))
            : t('halted forever at pc {0}: hlt with no timer armed and no input to come', hex32(c.pc));
      }
    },
  };
}

export type Vocabulary = ReturnType<typeof vocabulary>;

/** The vocabulary in English, for what has no session language (the grader's reports, benchmarks). */
export const ENGLISH = vocabulary(english);
