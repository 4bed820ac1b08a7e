/**
 * Why the machine stopped: the reason `run` returned, and a final stop as data with its English
 * sentence (the CLI and the adapter word it for a student; the grader quotes the English one).
 */
import { hex32 as hex8 } from './isa/hex';

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

/** A final stop, as data: the CLI and the adapter word it (stopText here is the English one). */
export type StopCause = { kind: 'power-off'; code: number } | { kind: 'triple-fault'; pc: number } | { kind: 'halted'; pc: number; interruptsOff: boolean };


/** The English sentence for a final stop ('' while the machine has not stopped for good). */
export function stopText(c: StopCause | null): string {
  if (!c) return '';
  switch (c.kind) {
    case 'power-off':
      return `powered off with exit code ${c.code}`;
    case 'triple-fault':
      return `triple fault at pc ${hex8(c.pc)}: a fault while delivering a fault (is the IVT set up, and the kernel stack mapped?)`;
    case 'halted':
      return `halted forever at pc ${hex8(c.pc)}: hlt with ${c.interruptsOff ? 'interrupts disabled' : 'no timer armed and no input to come'}`;
  }
}
