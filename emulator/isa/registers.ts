/** Register, system-register and VMCS-field names: the vocabulary the assembler,
 * the debugger and the language server share with the machine. */

export const GPR_COUNT = 16;
export const SP = 15;
export const FP = 14;

/** Register name → number; `sp` and `fp` are aliases of r15 and r14. */
export function registerNumber(name: string): number | undefined {
  // By character codes, case-insensitively: the parser asks this of every name it reads.
  const len = name.length;
  if (len < 2 || len > 3) return undefined;
  const c0 = name.charCodeAt(0) | 0x20;
  const c1 = name.charCodeAt(1);
  if (len === 2 && (c1 | 0x20) === 0x70 /* p */) return c0 === 0x73 /* s */ ? SP : c0 === 0x66 /* f */ ? FP : undefined;
  if (c0 !== 0x72 /* r */ || c1 < 0x30 || c1 > 0x39) return undefined;
  if (len === 2) return c1 - 0x30;
  const c2 = name.charCodeAt(2);
  // Two digits, no leading zero (r01 is not a register).
  if (c1 === 0x30 || c2 < 0x30 || c2 > 0x39) return undefined;
  const v = (c1 - 0x30) * 10 + (c2 - 0x30);
  return v < GPR_COUNT ? v : undefined;
}

export function registerName(n: number): string {
  return n === SP ? 'sp' : n === FP ? 'fp' : `r${n}`;
}

/** Bits of `status`. */
export const Status = {
  Z: 1 << 0,
  N: 1 << 1,
  C: 1 << 2,
  V: 1 << 3,
  IF: 1 << 9,
  CPL_SHIFT: 12,
  CPL_MASK: 3 << 12,
  /** Internal to the emulator: the non-root mode bit kept beside CPL. Never visible to the guest (rdsr status, pushf, trap frames and guest_status leave it out). */
  VM: 1 << 16,
  /** The part that pushf/popf move. */
  FLAGS: 0x20f,
  ARITH: 0xf,
} as const;

export const Cr0 = { PG: 1 << 0, WP: 1 << 16 } as const;

/** Page-table entry bits (spec section 6): present, writable, user, accessed, dirty. */
export const PTE = { P: 1, W: 2, U: 4, A: 32, D: 64 } as const;
/** EPT entry bits (spec section 7): readable, writable, executable. */
export const EPTE = { R: 1, W: 2, X: 4 } as const;
/** The entry bits a person reads, in order: bit, letter, word (the Variables view and the panels show them). */
export const PTE_BITS: readonly (readonly [number, string, string])[] = [
  [PTE.P, 'P', 'present'],
  [PTE.W, 'W', 'writable'],
  [PTE.U, 'U', 'user'],
  [PTE.A, 'A', 'accessed'],
  [PTE.D, 'D', 'dirty'],
];
export const EPTE_BITS: readonly (readonly [number, string, string])[] = [
  [EPTE.R, 'R', 'readable'],
  [EPTE.W, 'W', 'writable'],
  [EPTE.X, 'X', 'executable'],
];

export interface SysRegDef {
  name: string;
  id: number;
  doc: string;
}

/** System registers, by the id stored in the X field of `rdsr`/`wrsr`. */
export const SYSTEM_REGISTERS: readonly SysRegDef[] = [
  { name: 'status', id: 0, doc: 'Flags Z N C V (bits 0-3), IF (bit 9), CPL (bits 12-13). Readable at any CPL (a Popek-Goldberg hole: it reveals the real CPL, like reading CS on x86); never written whole. Root or non-root mode is not in status: as on x86, no instruction tells a guest that it runs in a VM (the debugger shows the mode).' },
  { name: 'cr0', id: 1, doc: 'Control register 0: bit 0 PG turns paging on, bit 16 WP makes supervisor writes honour read-only pages. Writing it flushes the TLB.' },
  { name: 'cr2', id: 2, doc: 'Linear address of the last page fault.' },
  { name: 'cr3', id: 3, doc: 'Physical address of the page directory (4 KiB aligned; low 12 bits ignored). Writing it flushes the TLB of the current address-space tag.' },
  { name: 'ivt', id: 4, doc: 'Linear address of the interrupt vector table: 256 entries of 8 bytes (handler, flags: bit 0 present, bits 1-2 DPL, bit 3 the handler runs in ring 1).' },
  { name: 'ksp', id: 5, doc: 'Kernel stack pointer: loaded into sp when a trap enters ring 0 from ring 1-3.' },
  { name: 'ksp1', id: 6, doc: 'Ring-1 stack pointer (x86 TSS.esp1): loaded into sp when a trap through a ring-1 gate (IVT flags bit 3) enters ring 1 from ring 2-3.' },
];

export const SysReg = { STATUS: 0, CR0: 1, CR2: 2, CR3: 3, IVT: 4, KSP: 5, KSP1: 6 } as const;

export function sysRegByName(name: string): SysRegDef | undefined {
  const n = name.toLowerCase();
  return SYSTEM_REGISTERS.find((s) => s.name === n);
}

export interface VmcsFieldDef {
  name: string;
  /** Field id (the X field of vmread/vmwrite); its byte offset in the VMCS is id*4. */
  id: number;
  writable: boolean;
  doc: string;
}

/** The VMCS is a 4 KiB region of physical memory: field `id` is the word at offset id * 4. */
export function vmcsFieldAddress(vmcs: number, field: number): number {
  return (vmcs + field * 4) >>> 0;
}

export const VMCS_FIELDS: readonly VmcsFieldDef[] = [
  { name: 'launch_state', id: 0, writable: false, doc: 'Internal: 0 clear (vmlaunch allowed), 1 launched (vmresume allowed).' },
  { name: 'guest_pc', id: 1, writable: true, doc: 'Guest pc: loaded on VM entry, saved on VM exit (the exiting instruction for instruction exits).' },
  { name: 'guest_sp', id: 2, writable: true, doc: 'Guest sp (r15): loaded on entry, saved on exit.' },
  { name: 'guest_status', id: 3, writable: true, doc: 'Guest status (flags, IF, CPL): loaded on entry, saved on exit.' },
  { name: 'guest_cr0', id: 4, writable: true, doc: 'Guest cr0 (PG, WP).' },
  { name: 'guest_cr3', id: 5, writable: true, doc: 'Guest cr3: a guest-physical address when EPT is on; with shadow paging the hypervisor puts its shadow directory here. Writing another value once the VM is launched flushes its TLB entries, as a cr3 write does.' },
  { name: 'guest_ivt', id: 6, writable: true, doc: 'Guest interrupt vector table (guest-linear).' },
  { name: 'guest_ksp', id: 7, writable: true, doc: 'Guest kernel stack pointer.' },
  { name: 'host_pc', id: 8, writable: true, doc: 'Where the hypervisor resumes on VM exit (host CPL 0, root mode, IF 0).' },
  { name: 'host_sp', id: 9, writable: true, doc: 'Host sp loaded on VM exit.' },
  { name: 'host_cr0', id: 10, writable: true, doc: 'Host cr0 loaded on VM exit.' },
  { name: 'host_cr3', id: 11, writable: true, doc: 'Host cr3 loaded on VM exit.' },
  { name: 'host_ivt', id: 12, writable: false, doc: 'Host ivt: saved by VM entry, restored on VM exit.' },
  { name: 'host_ksp', id: 13, writable: false, doc: 'Host ksp: saved by VM entry, restored on VM exit.' },
  { name: 'exit_ctls', id: 14, writable: true, doc: 'Exit controls: bit 0 HLT, 1 I/O, 2 CR3 writes, 3 INVLPG, 4 CR3 reads, 5 external interrupts (the host\'s timer and console interrupts exit, reason 1, whatever the guest\'s IF). There is no exit for popf, pushf or rdsr status.' },
  { name: 'exception_bitmap', id: 15, writable: true, doc: 'Bit n set: guest exception n (0-31) exits (reason 0) instead of being delivered through the guest IVT.' },
  { name: 'ept_pointer', id: 16, writable: true, doc: 'Host-physical address of the EPT directory; 0 = no EPT (guest-physical = host-physical). Writing it flushes this VM\'s TLB entries.' },
  { name: 'preemption_timer', id: 17, writable: true, doc: 'Guest steps until exit 52; 0 = off. Counts down while the guest runs; the remainder is saved on every exit.' },
  { name: 'entry_event', id: 18, writable: true, doc: 'Bit 31 valid, bits 0-7 vector: delivered through the guest IVT on the next entry; cleared when delivered.' },
  { name: 'entry_error', id: 19, writable: true, doc: 'Error code pushed with an injected entry_event.' },
  { name: 'exit_reason', id: 20, writable: false, doc: 'Why the last VM exit happened (VT-x numbers: 0 exception, 1 external interrupt, 2 triple fault, 12 hlt, 14 invlpg, 18 vmcall, 28 CR3 access, 30 I/O, 48 EPT violation, 52 preemption timer).' },
  { name: 'exit_qual', id: 21, writable: false, doc: 'Exit qualification: vector (exceptions, interrupts); invlpg: the address; CR3 access: bits 0-3 the register, bit 4 set for a read; I/O: port << 16, bit 3 set for in; EPT violation: bits 0-2 read/write/fetch, bits 3-5 the R/W/X that EPT allowed; 0 for the other exits (hlt, vmcall, triple fault, the preemption timer).' },
  { name: 'exit_len', id: 22, writable: false, doc: 'Length in bytes of the instruction that caused the exit (instruction exits).' },
  { name: 'exit_gva', id: 23, writable: false, doc: 'Guest-linear address involved in the exit (page faults, EPT violations, invlpg).' },
  { name: 'exit_gpa', id: 24, writable: false, doc: 'Guest-physical address of an EPT violation.' },
  { name: 'exit_error', id: 25, writable: false, doc: 'Error code of the exception that exited (e.g. the page-fault error code).' },
  { name: 'io_value', id: 26, writable: true, doc: 'On an out exit: the value written. On an in exit: what the hypervisor stores here lands in the destination register on vmresume.' },
  { name: 'vm_error', id: 27, writable: false, doc: 'VM-instruction error after a failed VMX instruction (VMfailValid, Z set): 1 vmcall in root, 4 vmlaunch of a launched VMCS, 5 vmresume of a clear VMCS, 7 bad controls, 8 bad host state, 13 write to read-only field, 33 invalid guest state (VT-x\'s 12, unsupported field, cannot happen: an unknown field number is an undefined encoding, trap 6).' },
  { name: 'exit_io_reg', id: 28, writable: false, doc: 'Internal: destination register of a pending in exit, or -1.' },
  { name: 'guest_ksp1', id: 29, writable: true, doc: 'Guest ring-1 stack pointer (ksp1): loaded on entry, saved on exit.' },
  { name: 'host_ksp1', id: 30, writable: false, doc: 'Host ksp1: saved by VM entry, restored on VM exit.' },
  { name: 'guest_activity', id: 31, writable: true, doc: 'Guest activity state, as VT-x\'s: 0 active, 1 halted. Saved on exit: 1 when the exit came while the guest waited in hlt (an external interrupt, the preemption timer; guest_pc is then past the hlt). Loaded on entry: 1 enters the guest still halted, waiting as after its hlt, unless entry_event injects an event, which wakes it. Write 0 to resume it running; any other value fails the entry (vm_error 33).' },
  { name: 'idt_vectoring', id: 32, writable: false, doc: 'IDT-vectoring information, as VT-x\'s: bit 31 valid, bits 0-7 the vector of the event the guest was being delivered when the exit came: an external interrupt (the exit an EPT violation, or an exception the exception bitmap intercepts, raised by that delivery), or an exception (the exit an EPT violation raised by its delivery). The guest has not received it: the hypervisor injects it again with entry_event; an exception it may also leave, as guest_pc is the instruction that raised it, which raises it again on vmresume. 0 after any other exit. A software interrupt that faults on its way in leaves none: guest_pc is the instruction itself, which runs again on vmresume.' },
];

export const VmcsField = Object.fromEntries(VMCS_FIELDS.map((f) => [f.name, f.id])) as Record<string, number>;

export function vmcsFieldByName(name: string): VmcsFieldDef | undefined {
  const n = name.toLowerCase();
  return VMCS_FIELDS.find((f) => f.name === n);
}
