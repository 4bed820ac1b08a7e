/**
 * Ringside's own requests, for its panels: protocol.ts declares them (CUSTOM_REQUESTS binds each
 * name to its argument and response types) and docs/debugger.md says what each does. Each route
 * carries its arguments' schema.
 */
import { hex8 } from '../engine/expressions';
import { isa } from '../../emulator';
import type { Runtime } from '../engine/runtime';
import { clockText } from '../engine/cycles';
import { t } from '../../language/l10n';
import * as P from '../protocol';
import { pageRows, pageView } from '../views/pageRuns';
import { pageTables } from '../views/pageTables';
import { transitions } from '../views/transitions';
import { COUNT, ID, U32 } from './requestSchemas';
import { custom, type Route } from './route';
import { arr, bool, int, obj, oneOf, opt, str } from './validate';

/** A data breakpoint set from a panel (kept apart from the client's list). */
function watch(rt: Runtime, a: P.WatchArguments): P.WatchResponseBody {
  if (typeof a.address !== 'number' || a.address < 0 || a.address > 0xffffffff) throw new Error('ringsideWatch needs { address, physical }');
  const physical = a.physical === true;
  if (physical && a.address >= rt.machine.memorySize) throw new Error(`physical ${hex8(a.address)} is past the end of memory`);
  const id = rt.breakpoints.newId();
  const access = a.access ?? 'write';
  rt.breakpoints.addPanelWatch({ id, slot: 0, address: a.address, length: Math.max(1, a.length ?? 4), physical, mode: access === 'read' ? 1 : access === 'readWrite' ? 3 : 2, hits: 0 });
  return { id, description: a.description ?? `${access} of ${physical ? 'physical ' : ''}${hex8(a.address)}` };
}

function unwatch(rt: Runtime, a: P.UnwatchArguments): void {
  if (!rt.breakpoints.removePanelWatch(Number(a.id))) throw new Error(`no panel watch ${a.id}`);
}

/** The instruction count a timeTravel request may go to; throws saying why not. */
function timeTravelTarget(rt: Runtime, a: P.TimeTravelArguments | undefined): number {
  const n = a?.icount;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error('timeTravel needs { icount: a whole number }');
  if (n < rt.machine.icount) {
    if (!rt.history.enabled) throw new Error('going back is off: the launch configuration sets "history": 0');
    if (n < rt.history.start) throw new Error(t('instruction {0} is before the start of recorded history ({1})', n, rt.history.start));
  }
  return n;
}

const ACCESS = oneOf<P.AccessKind>('read', 'write', 'fetch');
const space = { space: opt(ID), va: opt(U32), access: opt(ACCESS), limit: opt(int(0, 1 << 20)) };

export const panelRequests: Route[] = [
  custom(P.PAGE_TABLES, obj<P.PageTablesArguments>(space), (s, args) => {
    const rt = s.stopped();
    return pageTables(rt.machine, args, rt.program.guestPaging);
  }),
  custom(P.PAGE_VIEW, obj<P.PageViewArguments>({ ...space, rows: opt(int(0, 1 << 20)), data: opt(U32) }), (s, args) => {
    const rt = s.stopped();
    return pageView(rt.machine, args, rt.program.guestPaging);
  }),
  custom(P.PAGE_ROWS, obj<P.PageRowsArguments>({ space: opt(ID), ept: bool, dir: int(0, 1023), from: int(0, 1 << 20), count: int(0, 1 << 20) }), (s, args) => pageRows(s.stopped().machine, args)),
  custom(
    P.TRANSITIONS,
    obj<P.TransitionsArguments>({
      fromIcount: opt(COUNT), toIcount: opt(COUNT), start: opt(COUNT), count: opt(COUNT),
      kinds: opt(arr(oneOf<P.TransitionKind>(...isa.TRANSITION_KINDS), isa.TRANSITION_KINDS.length)),
    }),
    (s, args) => {
      const rt = s.stopped();
      return transitions(rt.machine, rt.program, s.counters, args);
    },
  ),
  custom(P.PANELS, obj<P.PanelsArguments>({ pageTables: opt(bool) }), (s, args) => {
    s.pushPageTables = args.pageTables === true;
    return undefined;
  }),
  custom(
    P.WATCH,
    obj<P.WatchArguments>({ address: U32, physical: bool, access: opt(oneOf('read', 'write', 'readWrite')), length: opt(int(1, 4096)), description: opt(str(1000)) }),
    (s, args) => watch(s.runtime(), args),
  ),
  custom(P.UNWATCH, obj<P.UnwatchArguments>({ id: ID }), (s, args) => {
    unwatch(s.runtime(), args);
    return undefined;
  }),
  custom(P.TIME_TRAVEL, obj<P.TimeTravelArguments>({ icount: COUNT }), (s, args, reply) => {
    const rt = s.stopped();
    const n = timeTravelTarget(rt, args);
    if (n < rt.machine.icount) {
      // `continued` first (VS Code keeps the previous stop's reason in the Call Stack's header
      // until a thread continues), then the jump, answered with where it landed.
      rt.moving();
      rt.seekQuietly(n);
      reply.after(() => rt.finish({ reason: 'goto', text: t('went back to {0}', clockText(rt.machine)) }));
      return { icount: rt.machine.icount, pc: rt.machine.pc, running: false };
    }
    // Already there: nothing moves (a run to it would take a step).
    if (n === rt.machine.icount) return { icount: n, pc: rt.machine.pc, running: false };
    // Forward: the machine runs there quietly; the response says where it starts from, and its
    // stopped event where it arrived (the guest may power off on the way: the session then ends).
    const from = { icount: rt.machine.icount, pc: rt.machine.pc, running: true };
    reply.after(() => rt.travelForward(n));
    return from;
  }),
];
