// The body of Ringside's own stop event (`ringsideStopped`): where the machine is, the range
// time travel can reach, the last data access, the source line, and the page view when a panel asked for it.
import { pcPhysical } from '../engine/machineEnv';
import { pageView } from '../views/pageRuns';
import type { StoppedEventBody } from '../protocol';
import type { Runtime, StopInfo } from '../engine/runtime';
import { FrameBuilder, threadOfVm } from '../views/stackframes';
import { spaceList } from '../engine/spaces';

export function stopEventBody(rt: Runtime, info: StopInfo, withPageView: boolean): StoppedEventBody {
  const m = rt.machine;
  const body: StoppedEventBody = {
    reason: info.reason,
    text: info.text,
    threadId: threadOfVm(m.currentVm),
    icount: m.icount,
    cycles: m.cycles,
    pc: m.pc,
    pa: pcPhysical(m),
    cpl: m.cpl,
    vm: m.currentVm,
    spaces: spaceList(m),
    transitions: m.eventCount,
    historyStart: rt.history.start,
    historyEnd: Math.max(m.icount, rt.history.newest),
    historyBytes: rt.history.bytes,
  };
  if (m.eventCount > 0) {
    const last = m.event(m.eventCount - 1);
    body.lastTransition = last.icount;
    body.lastCause = last.cause;
    body.lastFromCpl = last.fromCpl;
  }
  const { outputDropped, eventsDropped } = m.limits;
  if (outputDropped || eventsDropped) body.limits = { outputDropped, eventsDropped };
  const data = m.lastData;
  if (data && data.vm === m.currentVm) body.data = { va: data.va, pa: data.pa };
  try {
    const at = new FrameBuilder(m, rt.program).topSource();
    if (at) body.source = { path: rt.program.source(at.file).path, line: at.line };
  } catch {
    // Without it VS Code still shows the stop; a stop event must go out whatever happens.
  }
  if (withPageView) {
    try {
      body.pageView = pageView(m, { space: m.currentVm, va: m.pc, access: 'fetch', data: body.data?.va }, rt.program.guestPaging);
    } catch {
      // The panel falls back to asking; a stop event must go out whatever happens.
    }
  }
  return body;
}
