/**
 * Answers to the panels' custom requests (protocol.ts): an address space's
 * page tables with a walk and the TLB, pages of the transition log with
 * counters, watches set from a panel, and where time travel may go.
 */
import { AddressSpace, enumerateTables, EventKind, explainWalk, guestToHost, isa, Machine, tlbEntries, TransitionEvent, causeOf } from '../emulator';
import { describeEvent } from './exceptions';
import { TransitionNames } from './transitionNames';
import type {
  PageTablesArguments, PageTablesResponseBody, TimeTravelArguments, Transition, TransitionKind, TransitionsArguments, TransitionsResponseBody,
  UnwatchArguments, WatchArguments, WatchResponseBody,
} from './protocol';
import { hex8 } from './expressions';
import { t } from '../language/l10n';
import type { Runtime } from './runtime';
import type { Program } from './program';
import { guestSpace } from './stackframes';
import { shadowedGuest } from './guestPaging';

const F = isa.VmcsField;
const KIND_NAMES: TransitionKind[] = ['trap', 'interrupt', 'iret', 'vmentry', 'vmexit', 'triple-fault'];

export function spaceOf(m: Machine, id: number): { space: AddressSpace; running: boolean; cpl: number } {
  const word = (vmcs: number, f: number) => m.vmcsField(vmcs, f);
  if (id === m.currentVm) {
    const eptp = m.nonRoot ? word(m.currentVmcs, F.ept_pointer) : 0;
    return { space: { cr0: m.sysReg(1) >>> 0, cr3: m.sysReg(3) >>> 0, eptp, tag: id }, running: true, cpl: m.cpl };
  }
  if (id > 0) {
    const g = guestSpace(m, id);
    if (!g) throw new Error(`there is no VM ${id} (VMs so far: ${m.vms().map((v) => v.id).join(', ') || 'none'})`);
    return { space: g.space, running: false, cpl: g.cpl };
  }
  const vmcs = m.currentVmcs;
  return { space: { cr0: word(vmcs, F.host_cr0), cr3: word(vmcs, F.host_cr3), eptp: 0, tag: 0 }, running: false, cpl: 0 };
}

/** `guestPaging`: where the program publishes its guests' own paging (guestPaging.ts), if it does. */
export function pageTables(m: Machine, args: PageTablesArguments, guestPaging?: number): PageTablesResponseBody {
  const id = args.space ?? m.currentVm;
  const { space, running, cpl } = spaceOf(m, id);
  const limit = Math.max(1, Math.min(args.limit ?? 4096, 1 << 20));
  const paging = (space.cr0 & isa.Cr0.PG) !== 0;
  const toHost = guestToHost(m.cpu, space);
  const own = paging ? enumerateTables(m.cpu, space.cr3, false, limit, toHost) : { tables: [], truncated: false };
  const ept = space.eptp ? enumerateTables(m.cpu, space.eptp, true, limit) : undefined;
  // Shadow paging: the CPU walks the shadow (above); the guest's own tables sit beside it.
  const shadowed = !space.eptp ? shadowedGuest(m, guestPaging, id) : undefined;
  const guest = shadowed ? enumerateTables(m.cpu, shadowed.cr3, false, limit, shadowed.toHost) : undefined;
  const body: PageTablesResponseBody = {
    space: { id, name: id ? `VM ${id}` : 'host', running, paging, cr0: space.cr0, cr3: space.cr3, eptPointer: space.eptp },
    tables: own.tables,
    eptTables: ept?.tables,
    guestTables: guest?.tables,
    guestCr3: shadowed?.cr3,
    truncated: own.truncated || (ept?.truncated ?? false) || (guest?.truncated ?? false),
    tlb: tlbEntries(m.cpu),
    counters: m.tlbStatsOf(id),
  };
  if (args.va !== undefined) body.walk = explainWalk(m.cpu, args.va, args.access ?? 'read', cpl, running ? undefined : space);
  return body;
}

/** Counts of the event log by cause and kind, kept up to date incrementally (the log only grows, or is cut back by time travel). */
export class TransitionCounters {
  private counted = 0;
  private byCause: Record<string, number> = {};
  private byKind = Object.fromEntries(KIND_NAMES.map((k) => [k, 0])) as Record<TransitionKind, number>;

  update(m: Machine, names: TransitionNames = TransitionNames.none): void {
    if (m.eventCount < this.counted) {
      this.counted = 0;
      this.byCause = {};
      for (const k of KIND_NAMES) this.byKind[k] = 0;
    }
    for (; this.counted < m.eventCount; this.counted++) {
      const e = m.event(this.counted);
      const cause = names.of(e)?.cause ?? e.cause;
      this.byCause[cause] = (this.byCause[cause] ?? 0) + 1;
      this.byKind[KIND_NAMES[e.kind]]++;
    }
  }

  snapshot(): { byCause: Record<string, number>; byKind: Record<TransitionKind, number> } {
    return { byCause: { ...this.byCause }, byKind: { ...this.byKind } };
  }
}

function firstAtOrAfter(m: Machine, icount: number): number {
  let lo = 0;
  let hi = m.eventCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (m.event(mid).icount < icount) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `names`: what the program calls its transitions (transitionNames.ts): their cause and words. */
export function toTransition(e: TransitionEvent, program: Program, names: TransitionNames = TransitionNames.none): Transition {
  const named = names.of(e);
  return {
    index: e.index,
    icount: e.icount,
    cycles: e.cycles,
    kind: KIND_NAMES[e.kind],
    fromCpl: e.fromCpl,
    toCpl: e.toCpl,
    fromVm: e.fromVm,
    toVm: e.toVm,
    vector: e.vector,
    syscall: e.syscall,
    exitReason: e.exitReason,
    pcBefore: e.pcBefore,
    pcAfter: e.pcAfter,
    cause: named?.cause ?? causeOf(e),
    text: describeEvent(e, { names }),
    target: program.labelAt(e.pcAfter),
  };
}

export function transitions(m: Machine, program: Program, counters: TransitionCounters, args: TransitionsArguments): TransitionsResponseBody {
  const from = args.fromIcount !== undefined ? firstAtOrAfter(m, args.fromIcount) : 0;
  const to = args.toIcount !== undefined ? firstAtOrAfter(m, args.toIcount) : m.eventCount;
  const start = Math.max(0, args.start ?? 0);
  const count = Math.max(0, Math.min(args.count ?? 1000, 100_000));
  for (const k of args.kinds ?? []) if (!KIND_NAMES.includes(k)) throw new Error(`unknown transition kind '${k}' (kinds: ${KIND_NAMES.join(', ')})`);
  const kinds = args.kinds?.length ? new Set(args.kinds.map((k) => KIND_NAMES.indexOf(k) as EventKind)) : undefined;
  const events: Transition[] = [];
  const names = TransitionNames.read(m, program.transitionNames);
  let total: number;
  if (!kinds) {
    total = Math.max(0, to - from);
    for (let i = from + start; i < to && events.length < count; i++) events.push(toTransition(m.event(i), program, names));
  } else {
    total = 0;
    for (let i = from; i < to; i++) {
      const e = m.event(i);
      if (!kinds.has(e.kind)) continue;
      if (total >= start && events.length < count) events.push(toTransition(e, program, names));
      total++;
    }
  }
  counters.update(m, names);
  return { total, start, events, ...counters.snapshot(), dropped: m.limits.eventsDropped };
}

/** A data breakpoint set from a panel (kept apart from the client's list). */
export function watch(rt: Runtime, a: WatchArguments): WatchResponseBody {
  if (typeof a.address !== 'number' || a.address < 0 || a.address > 0xffffffff) throw new Error('ringsideWatch needs { address, physical }');
  const physical = a.physical === true;
  if (physical && a.address >= rt.machine.memorySize) throw new Error(`physical ${hex8(a.address)} is past the end of memory`);
  const id = rt.breakpoints.newId();
  const access = a.access ?? 'write';
  rt.breakpoints.addPanelWatch({ id, slot: 0, address: a.address, length: Math.max(1, a.length ?? 4), physical, mode: access === 'read' ? 1 : access === 'readWrite' ? 3 : 2, hits: 0 });
  return { id, description: a.description ?? `${access} of ${physical ? 'physical ' : ''}${hex8(a.address)}` };
}

export function unwatch(rt: Runtime, a: UnwatchArguments): void {
  if (!rt.breakpoints.removePanelWatch(Number(a.id))) throw new Error(`no panel watch ${a.id}`);
}

/** The instruction count a timeTravel request may go to; throws saying why not. */
export function timeTravelTarget(rt: Runtime, a: TimeTravelArguments | undefined): number {
  const n = a?.icount;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error('timeTravel needs { icount: a whole number }');
  if (n < rt.machine.icount) {
    if (!rt.history.enabled) throw new Error('going back is off: the launch configuration sets "history": 0');
    if (n < rt.history.start) throw new Error(t('instruction {0} is before the start of recorded history ({1})', n, rt.history.start));
  }
  return n;
}
