/**
 * Why the machine stopped: the reason `run` returned, and a final stop as data. The machine has
 * no words for them: the vocabulary (isa/vocabulary.ts) says them, in English or Korean.
 */

/** Why `run` returned. */
export type StopReason =
  | 'limit' // the step budget of this call ran out
  | 'breakpoint' // about to execute an instruction at a breakpoint
  | 'watchpoint' // a data breakpoint was hit (the access has completed)
  | 'event' // a transition selected by eventStopMask happened (pc is at its target)
  | 'pause' // requestStop() was called
  | 'poweroff' // the guest wrote port 0xF4
  | 'triple-fault' // a fault while delivering a fault, in root mode
  | 'deadlock'; // hlt with interrupts disabled and nothing that could wake it

/** A final stop, as data (the vocabulary, isa/vocabulary.ts, words it for every view). */
export type { StopCause } from './isa/vocabulary';

/** The exit code of a run that did not power off: the CLI's, and the debugger's `exited` event. */
export const EXIT_LIMIT = 124;
export const EXIT_TRIPLE = 125;
export const EXIT_DEADLOCK = 126;
