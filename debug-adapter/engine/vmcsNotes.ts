/**
 * What a VMCS field's value means, decoded for the VMCS view and `info vmcs`:
 * the exit controls by name, the exit reason's name, and the qualification of
 * the exits that have one. Names come from the ISA tables.
 */
import { isa } from '../../emulator';

const R = isa.ExitReason;

/** Why the exit qualification says what it says, for the reason of the last exit. */
export function exitQualNote(reason: number, q: number): string {
  switch (reason) {
    case R.CR3_ACCESS:
      return `${q & isa.CR3_QUAL_READ ? 'read' : 'write'} of cr3, register ${isa.registerName(q & 15)}`;
    case R.IO:
      return `${q & 8 ? 'in from' : 'out to'} port 0x${(q >>> 16).toString(16)}`;
    case R.EXCEPTION:
    case R.EXTERNAL_INTERRUPT:
      return `vector ${q} (${isa.vectorName(q)})`;
    case R.EPT_VIOLATION:
      return `${['read', 'write', 'fetch'].filter((_, i) => q & (1 << i)).join('/') || 'access'}; EPT allowed ${['R', 'W', 'X'].map((l, i) => (q & (8 << i) ? l : '-')).join('')}`;
    default:
      return '';
  }
}

/** A short note after a field's value ('' when there is nothing to decode). */
export function vmcsFieldNote(field: string, value: number, exitReason: number): string {
  switch (field) {
    case 'exit_ctls': {
      const on = isa.EXIT_CTL_NAMES.filter((c) => value & c.bit).map((c) => c.name);
      return on.length ? `exits on ${on.join(', ')}` : 'no exit controls';
    }
    case 'exit_reason':
      return isa.exitReasonName(value);
    case 'exit_qual':
      return exitQualNote(exitReason, value);
    default:
      return '';
  }
}
