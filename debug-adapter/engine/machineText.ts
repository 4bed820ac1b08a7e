// The machine's final stop (a triple fault, halted forever, powered off) in the session's language,
// worded from the emulator's StopCause: the emulator keeps the facts, the words live here.
import type { StopCause } from '../../emulator';
import { t } from '../../language/l10n';
import { hex8 } from './expressions';

/** Where the CPU is, as the event descriptions say it: "ring 3", "VM 1 ring 0". */
export const where = (vm: number, cpl: number): string => (vm ? t('VM {0} ring {1}', vm, cpl) : t('ring {0}', cpl));

export function machineText(c: StopCause | null): string {
  if (!c) return '';
  switch (c.kind) {
    case 'power-off':
      return t('powered off with exit code {0}', c.code);
    case 'triple-fault':
      return t('triple fault at pc {0}: a fault while delivering a fault (is the IVT set up, and the kernel stack mapped?)', hex8(c.pc));
    case 'halted':
      return c.interruptsOff
        ? t('halted forever at pc {0}: hlt with interrupts disabled', hex8(c.pc))
        : t('halted forever at pc {0}: hlt with no timer armed and no input to come', hex8(c.pc));
  }
}
