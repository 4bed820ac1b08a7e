// The machine's address spaces as data: the running one from the CPU, a VM that is not running
// and the host while a VM runs from the VMCS. Built here once for the call stack, the Page
// Tables panel, the console and the variables.
import { AddressSpace, EventKind, isa, Machine } from '../../emulator';
import type { Space } from '../protocol';
import { words } from '../../language/l10n';

const F = isa.VmcsField;

const word = (m: Machine, vmcs: number, field: number) => m.vmcsField(vmcs, field);

/** The address space of a VM that is not running, from its VMCS. */
export function guestSpace(m: Machine, vm: number): { space: AddressSpace; pc: number; sp: number; cpl: number; vmcs: number } | undefined {
  const v = m.vms().find((x) => x.id === vm);
  if (!v) return undefined;
  const status = word(m, v.vmcs, F.guest_status);
  return {
    space: { cr0: word(m, v.vmcs, F.guest_cr0), cr3: word(m, v.vmcs, F.guest_cr3), eptp: word(m, v.vmcs, F.ept_pointer), tag: vm },
    pc: word(m, v.vmcs, F.guest_pc),
    sp: word(m, v.vmcs, F.guest_sp),
    cpl: (status >>> 12) & 3,
    vmcs: v.vmcs,
  };
}

/** Whether the last VM transition was an exit (the host is in the hypervisor's exit path). */
export function lastVmExit(m: Machine): { vm: number; reason: number } | undefined {
  if (m.nonRoot || m.currentVmcs < 0) return undefined;
  for (let i = m.eventCount - 1, n = 0; i >= 0 && n < 100_000; i--, n++) {
    const e = m.event(i);
    if (e.kind === EventKind.VmExit) return { vm: e.fromVm, reason: e.exitReason };
    if (e.kind === EventKind.VmEntry) return undefined;
  }
  return undefined;
}

/** The host's address space while a VM runs (from the current VMCS's host fields), and where it resumes on the next VM exit. */
export function hostSpace(m: Machine): { space: AddressSpace; pc: number; sp: number } {
  const vmcs = m.currentVmcs;
  return { space: { cr0: word(m, vmcs, F.host_cr0), cr3: word(m, vmcs, F.host_cr3), eptp: 0, tag: 0 }, pc: word(m, vmcs, F.host_pc), sp: word(m, vmcs, F.host_sp) };
}

/** Address space `id` (0 the host, n VM n): its registers, whether it runs now, and its ring. */
export function spaceOf(m: Machine, id: number): { space: AddressSpace; running: boolean; cpl: number } {
  if (id === m.currentVm) {
    const eptp = m.nonRoot ? word(m, m.currentVmcs, F.ept_pointer) : 0;
    return { space: { cr0: m.sysReg(1) >>> 0, cr3: m.sysReg(3) >>> 0, eptp, tag: id }, running: true, cpl: m.cpl };
  }
  if (id > 0) {
    const g = guestSpace(m, id);
    if (!g) throw new Error(`there is no ${words.space(id)} (VMs so far: ${m.vms().map((v) => v.id).join(', ') || 'none'})`);
    return { space: g.space, running: false, cpl: g.cpl };
  }
  return { space: hostSpace(m).space, running: false, cpl: 0 };
}

/** Every address space so far (the host, then each VM seen), the running one marked. */
export function spaceList(m: Machine): Space[] {
  const now = m.currentVm;
  const vms = m.vms();
  return [{ id: 0, name: words.thread(0, vms.length > 0), running: now === 0 }, ...vms.map((v) => ({ id: v.id, name: words.thread(v.id), running: now === v.id }))];
}
