/**
 * Transitions a program gives a meaning the machine cannot know: to the CPU a hypercall is an
 * `int` like any other, and KVM_RUN returning to qemu an `iret` like any other. The program says
 * which, at the global label `__ringside_transitions` (docs/debugger.md, "Named transitions"):
 *
 *   .word count
 *   count × .word kind, value
 *
 *   kind 1  a hypercall: value = the vector of its gate (paravirt's int 0x82)
 *   kind 2  a call into the monitor: value = the vector (binary-translation's int 0x81)
 *   kind 3  a call into the translator: value = the vector (binary-translation's int 0x82, 0x83)
 *   kind 4  a return to the device model: value = the linear address an iret returns to in the
 *           user-space process when KVM_RUN comes back (type2's qemu)
 *
 * The Ring Transitions panel, its hovers, the Variables view and the stop text name such a
 * transition in words, and the exception filters 'hypercall' and 'device-model' stop on them.
 */
import { EventKind, isa, type Machine, type TransitionEvent } from '../../emulator';
import { publishedWords } from './codeOrigins';
import { hex8 } from './expressions';
import { k, t, words } from '../../language/l10n';

const { hex } = isa;

export const TRANSITIONS_SYMBOL = '__ringside_transitions';
/** A table longer than this is read only this far (a corrupt count must not hang a request). */
const MAX_ENTRIES = 64;

export type NamedKind = 'hypercall' | 'monitor-call' | 'translator-call' | 'device-model-return';
const KINDS: Record<number, NamedKind> = { 1: 'hypercall', 2: 'monitor-call', 3: 'translator-call', 4: 'device-model-return' };

/** The short cause the panel groups by (like the machine's 'syscall write' or 'iret'); in a student's words, translated. */
const CAUSE: Record<NamedKind, string> = {
  hypercall: k('hypercall'),
  'monitor-call': k('call into the monitor'),
  'translator-call': k('call into the translator'),
  'device-model-return': k('return to the device model'),
};

export interface Naming {
  kind: NamedKind;
  cause: string;
}

/** What a program's annotation names; empty when it has none. */
export class TransitionNames {
  static readonly none = new TransitionNames([]);

  private constructor(private readonly entries: readonly { kind: NamedKind; value: number }[]) {}

  /** Read the table at physical address `descriptor` (the label's load address), if the program has one. */
  static read(m: Machine, descriptor: number | undefined): TransitionNames {
    if (descriptor === undefined) return TransitionNames.none;
    const rd = publishedWords(m);
    const count = Math.min(rd(descriptor), MAX_ENTRIES);
    const entries: { kind: NamedKind; value: number }[] = [];
    for (let i = 0; i < count; i++) {
      const kind = KINDS[rd(descriptor + 4 + i * 8)];
      if (kind) entries.push({ kind, value: rd(descriptor + 8 + i * 8) });
    }
    return entries.length ? new TransitionNames(entries) : TransitionNames.none;
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }

  /** What the program calls this transition, if anything. */
  of(ev: Pick<TransitionEvent, 'kind' | 'vector' | 'pcAfter'>): Naming | undefined {
    for (const e of this.entries) {
      const hit = e.kind === 'device-model-return' ? ev.kind === EventKind.Iret && ev.pcAfter >>> 0 === e.value : ev.kind === EventKind.Trap && ev.vector === e.value;
      if (hit) return { kind: e.kind, cause: CAUSE[e.kind] };
    }
    return undefined;
  }
}

/** A trap through gate `vector` as a call stack's separator names it: what the program calls it ('hypercall (int 0x82)'), else the vector's name. */
export function trapWhat(names: TransitionNames, vector: number): string {
  const n = names.of({ kind: EventKind.Trap, vector, pcAfter: 0 });
  if (n) return t('{0} (int {1})', t(n.cause), hex(vector));
  if (vector === isa.Vector.SYSCALL) return t('system call');
  const name = isa.vectorName(vector);
  return name === `vector ${vector}` ? t('vector {0}', vector) : t('{0} (vector {1})', name, vector);
}

/** The transition in a student's words, when the program named it. */
export function describeNamed(n: Naming, ev: TransitionEvent): string {
  const from = words.where(ev.fromVm, ev.fromCpl);
  const to = words.where(ev.toVm, ev.toCpl);
  switch (n.kind) {
    case 'hypercall':
      return t('hypercall (int {0}) from {1} at {2}: the guest kernel asks the hypervisor in {3}', hex(ev.vector), from, hex8(ev.pcBefore), to);
    case 'monitor-call':
      return t('call into the monitor (int {0}) from translated code at {1}, {2}: the monitor emulates a privileged instruction', hex(ev.vector), hex8(ev.pcBefore), from);
    case 'translator-call':
      return t('call into the translator (int {0}) from translated code at {1}, {2}: a block to translate or a jump target to look up', hex(ev.vector), hex8(ev.pcBefore), from);
    case 'device-model-return':
      return t('return to the device model: KVM_RUN comes back from the host kernel ({0}) to the user-space process at {1} ({2})', from, hex8(ev.pcAfter), to);
  }
}

/** Keys for the filters' labels (exceptions.ts). */
export const NAMED_FILTER_TEXT = {
  hypercallLabel: k('Hypercall'),
  hypercallDescription: k('Stop in the hypervisor at every hypercall (a program names its hypercall gate at __ringside_transitions).'),
  deviceModelLabel: k('Return to the device model'),
  deviceModelDescription: k('Stop in the user-space device model (qemu) each time KVM_RUN returns to it (a program names the return point at __ringside_transitions).'),
};
