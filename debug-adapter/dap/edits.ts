// After the client edits the stopped machine (setVariable, writeMemory), what it shows may be
// stale beyond the value it set: tell it, as DAP has it, when it said it understands the events.
// `invalidated` 'stacks' when the pc or where it maps moved (the current line changes; VS Code
// then fetches the stack afresh), else 'variables' (a flag, a page-table entry or a word that a
// watch reads changed); `memory` for the bytes written.
import { InvalidatedEvent, MemoryEvent } from '@vscode/debugadapter';
import { pcPhysical } from '../engine/machineEnv';
import type { Runtime } from '../engine/runtime';
import { threadOfVm } from '../views/stackframes';
import type { Reply, SessionCore } from './route';

export interface Written {
  memoryReference: string;
  offset: number;
  count: number;
}

/** Run an edit; after its response, send the events it calls for. */
export function edit<T>(s: SessionCore, rt: Runtime, reply: Reply, change: () => T, written?: (result: T) => Written | undefined): T {
  const m = rt.machine;
  const before = `${m.pc}:${pcPhysical(m)}`;
  const result = change();
  const moved = `${m.pc}:${pcPhysical(m)}` !== before;
  const mem = written?.(result);
  reply.after(() => {
    if (mem && mem.count > 0 && s.client.memoryEvent) s.sendEvent(new MemoryEvent(mem.memoryReference, mem.offset, mem.count));
    if (s.client.invalidatedEvent) s.sendEvent(new InvalidatedEvent(moved ? ['stacks'] : ['variables'], moved ? threadOfVm(m.currentVm) : undefined));
  });
  return result;
}
