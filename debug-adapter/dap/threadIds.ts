// Thread and frame ids a request names, checked: an unknown one is refused with the ones there
// are, never taken for the thread that runs or the top frame.
import type { Runtime } from '../engine/runtime';
import { t } from '../../language/l10n';
import { threadOfVm, threads, type FrameInfo } from '../views/stackframes';
import type { SessionCore } from './route';

/** Whether `threadId` is a thread of the machine now; throws, naming the threads, when it is none. */
export function checkThread(rt: Runtime, threadId: number): void {
  const list = threads(rt.machine);
  if (list.some((th) => th.id === threadId)) return;
  throw new Error(t('no thread {0} (the threads are {1})', threadId, list.map((th) => `${th.id} (${th.name})`).join(', ')));
}

/**
 * A step names the thread it steps: only the one whose code runs can be stepped (the machine has one
 * CPU; a VM that does not run moves only when the hypervisor enters it). Throws for another thread.
 */
export function checkSteppable(rt: Runtime, threadId: number): void {
  checkThread(rt, threadId);
  const running = threadOfVm(rt.machine.currentVm);
  if (threadId === running) return;
  const name = (id: number) => threads(rt.machine).find((th) => th.id === id)?.name ?? String(id);
  throw new Error(t('{0} is not running: the machine has one CPU and {1} runs now. Step {1}, or continue to a breakpoint in {0}', name(threadId), name(running)));
}

/**
 * For stackTrace: a thread the client was told of that is gone now (a VM a step back undid) has
 * no frames; a thread never announced is an error.
 */
export function threadGone(s: SessionCore, rt: Runtime, threadId: number): boolean {
  if (threads(rt.machine).some((th) => th.id === threadId)) return false;
  if (s.knownThreads.has(threadId)) return true;
  checkThread(rt, threadId);
  return false;
}

/** The frame a request names (undefined when it names none); throws when the id is not a frame of this stop. */
export function frameOf(s: SessionCore, frameId: number | undefined): FrameInfo | undefined {
  if (frameId === undefined) return undefined;
  const f = s.frames.get(frameId);
  if (!f) throw new Error(t('no frame {0} (frames expire when the machine moves)', frameId));
  return f;
}
