/**
 * The guest's own page tables under shadow paging. Without EPT the CPU walks the hypervisor's
 * shadow tables, and the guest's directory is known only to the hypervisor (a shadowing
 * hypervisor makes the guest's `rdsr cr3` read it, through CR3-read exits). The machine cannot
 * find it, so the hypervisor publishes it, the way a dynamic linker publishes `_r_debug` for
 * gdb: a descriptor at the global label `__ringside_guest_paging` (docs/debugger.md, "Shadow
 * paging"). All its addresses are host-physical:
 *
 *   .word N                                one entry per VM:
 *   .word vmcs, cr3At, slotsAt             its VMCS; the word that holds the guest's cr3
 *                                          (guest-physical, 0 = none yet); its memory map
 *   memory map: .word count, then count × (guest-physical start, size, host-physical start, flags)
 */
import type { Machine } from '../../emulator';

export const GUEST_PAGING_SYMBOL = '__ringside_guest_paging';
const MAX_VMS = 64;
const MAX_SLOTS = 256;

export interface ShadowedGuest {
  /** The guest's own cr3 (guest-physical), as the hypervisor keeps it. */
  cr3: number;
  /** Guest-physical → host-physical through the published memory map (-1: no memory there). */
  toHost: (gpa: number) => number;
}

/** VM `vm`'s own paging as its hypervisor publishes it at `descriptor`, or undefined if it does not. */
export function shadowedGuest(m: Machine, descriptor: number | undefined, vm: number): ShadowedGuest | undefined {
  if (descriptor === undefined || vm <= 0) return undefined;
  const v = m.vms().find((x) => x.id === vm);
  if (!v) return undefined;
  const rd = (a: number) => m.readWordPhysical(a >>> 0) >>> 0;
  const n = Math.min(rd(descriptor), MAX_VMS);
  for (let i = 0; i < n; i++) {
    const at = descriptor + 4 + i * 12;
    if (rd(at) !== v.vmcs >>> 0) continue;
    const cr3 = rd(rd(at + 4)) & ~0xfff;
    if (cr3 === 0) return undefined;
    const map = rd(at + 8);
    const slots: [number, number, number][] = [];
    for (let s = 0, c = Math.min(rd(map), MAX_SLOTS); s < c; s++) slots.push([rd(map + 4 + s * 16), rd(map + 8 + s * 16), rd(map + 12 + s * 16)]);
    const toHost = (gpa: number) => {
      for (const [start, size, host] of slots) if (gpa >>> 0 >= start && (gpa >>> 0) - start < size) return host + ((gpa >>> 0) - start);
      return -1;
    };
    return { cr3, toHost };
  }
  return undefined;
}
