/**
 * A tiny hypervisor for VMX tests. The host (root, ring 0) fills a VMCS at
 * 0x20000, launches the guest at label `guest`, and on every exit runs
 * `onExit` (default: record exit_reason/qual/gva/gpa/len/guest_pc/error at
 * 0x6000.. and power off with the reason). A failed entry powers off with
 * 1000 + vm_error. The guest has its own IVT at 0x40000 whose gates lead to
 * `guest_trap` (records the vector at 0x6100 and powers off with 500 + vector
 * through a vmcall-free path: out 0xF4 works in the guest unless I/O exits).
 */
import { gateFill, identityTable } from '../../../scripts/asmSnippets';

export interface HvOptions {
  guest: string;
  ctls?: number;
  bitmap?: number;
  /** Build an identity EPT for 0..4 MiB at 0x50000 (RWX) and use it; tweak entries with `eptTweaks`. */
  ept?: boolean;
  eptTweaks?: string;
  guestStatus?: number;
  guestCr0?: number;
  guestCr3?: number;
  preemption?: number;
  entryEvent?: number;
  onExit?: string;
  /** Extra host code before vmlaunch. */
  hostSetup?: string;
  data?: string;
}

export const EXIT_LOG = 0x6000;

/** Host code that writes each VMCS field (of the current VMCS) with its value, through r1. */
export function vmwrites(fields: [string, string | number][]): string {
  return fields.map(([f, v]) => `    mov r1, ${v}\n    vmwrite ${f}, r1`).join('\n');
}

export function hypervisor(o: HvOptions): string {
  const ept = o.ept
    ? `${identityTable(0x51000, 0x50000, '.ept')}
${o.eptTweaks ?? ''}
    mov r1, 0x50000
    vmwrite ept_pointer, r1`
    : '';
  return `
.org 0
_start:
    mov sp, 0x8000
    ; the guest's IVT: every gate -> guest_trap, DPL 3
${gateFill(0x40000, 'guest_trap', 7, '.g')}
    mov r1, 0x20000
    vmptrld r1
${vmwrites([
    ['guest_pc', 'guest'],
    ['guest_sp', 0x38000],
    ['guest_status', o.guestStatus ?? 0],
    ['guest_cr0', o.guestCr0 ?? 0],
    ['guest_cr3', o.guestCr3 ?? 0],
    ['guest_ivt', 0x40000],
    ['guest_ksp', 0x3c000],
    ['host_pc', 'exit_handler'],
    ['host_sp', 0x8000],
    ['host_cr0', 0],
    ['host_cr3', 0],
    ['exit_ctls', o.ctls ?? 0],
    ['exception_bitmap', o.bitmap ?? 0],
    ['preemption_timer', o.preemption ?? 0],
    ['entry_event', o.entryEvent ?? 0],
  ])}
${ept}
${o.hostSetup ?? ''}
    vmlaunch
entry_failed:
    vmread r1, vm_error
    add r1, 1000
    out 0xF4, r1

exit_handler:
    mov sp, 0x8000
    vmread r1, exit_reason
    st [0x6000], r1
    vmread r1, exit_qual
    st [0x6004], r1
    vmread r1, exit_gva
    st [0x6008], r1
    vmread r1, exit_gpa
    st [0x600C], r1
    vmread r1, exit_len
    st [0x6010], r1
    vmread r1, guest_pc
    st [0x6014], r1
    vmread r1, exit_error
    st [0x6018], r1
    vmread r1, io_value
    st [0x601C], r1
${o.onExit ?? `    ld r1, [0x6000]
    out 0xF4, r1`}

guest_trap:
    ld r10, [sp + 4]
    st [0x6100], r10
    add r10, 500
    out 0xF4, r10

.org 0x10000
guest:
${o.guest}
${o.data ?? ''}
`;
}

export interface ExitLog {
  reason: number;
  qual: number;
  gva: number;
  gpa: number;
  len: number;
  guestPc: number;
  error: number;
  ioValue: number;
}

export function exitLog(word: (pa: number) => number): ExitLog {
  const w = (i: number) => word(EXIT_LOG + i * 4);
  return { reason: w(0), qual: w(1), gva: w(2), gpa: w(3), len: w(4), guestPc: w(5), error: w(6), ioValue: w(7) };
}
