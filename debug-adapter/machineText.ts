// The emulator's own stop messages (a triple fault, halted forever, powered off) in the session's
// language. The emulator has no words for students of its own: its sentences are matched by their
// fixed shape here and said again through t(); one that does not match is shown as it is.
import { t } from '../language/l10n';

const SHAPES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^triple fault at pc (0x[0-9a-f]{8}): a fault while delivering a fault \(is the IVT set up, and the kernel stack mapped\?\)$/, (m) => t('triple fault at pc {0}: a fault while delivering a fault (is the IVT set up, and the kernel stack mapped?)', m[1])],
  [/^halted forever at pc (0x[0-9a-f]{8}): hlt with no timer armed and no input to come$/, (m) => t('halted forever at pc {0}: hlt with no timer armed and no input to come', m[1])],
  [/^halted forever at pc (0x[0-9a-f]{8}): hlt with interrupts disabled$/, (m) => t('halted forever at pc {0}: hlt with interrupts disabled', m[1])],
  [/^powered off with exit code (-?\d+)$/, (m) => t('powered off with exit code {0}', m[1])],
];

export function machineText(message: string): string {
  for (const [re, say] of SHAPES) {
    const m = re.exec(message);
    if (m) return say(m);
  }
  return message;
}
