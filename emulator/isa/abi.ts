/** Names the machine and the tools give to numbers: trap vectors, system calls, VM-exit reasons. */

/** The page-fault error code's bits, as x86's: P the page was present (a protection fault, else not present), W a write, U from ring 3, I an instruction fetch. */
export const PfError = { P: 1, W: 2, U: 4, I: 16 } as const;

/** What a page-fault error code says. */
export function decodePfError(e: number): { present: boolean; access: 'read' | 'write' | 'fetch'; user: boolean } {
  return { present: (e & PfError.P) !== 0, access: e & PfError.I ? 'fetch' : e & PfError.W ? 'write' : 'read', user: (e & PfError.U) !== 0 };
}

export const Vector = {
  DIVIDE: 0,
  BREAKPOINT: 3,
  UNDEFINED: 6,
  GP: 13,
  PAGE_FAULT: 14,
  TIMER: 32,
  CONSOLE: 33,
  SYSCALL: 0x80,
} as const;

/** IVT gate flags (the second word of an 8-byte entry). */
export const Gate = {
  PRESENT: 1,
  DPL_SHIFT: 1,
  /** The handler runs in ring 1 on ksp1 (x86: the gate's code segment has DPL 1, the stack from TSS.esp1). */
  RING1: 8,
} as const;

const VECTOR_NAMES: Record<number, string> = {
  0: 'divide by zero',
  3: 'breakpoint',
  6: 'invalid opcode',
  13: 'general protection',
  14: 'page fault',
  32: 'timer interrupt',
  33: 'console interrupt',
  0x80: 'system call',
};

export function vectorName(v: number): string {
  return VECTOR_NAMES[v] ?? `vector ${v}`;
}

/** Short names as used in event causes and exception-breakpoint filters. */
const VECTOR_SHORT: Record<number, string> = { 0: '#DE', 3: '#BP', 6: '#UD', 13: '#GP', 14: '#PF', 32: 'timer', 33: 'console', 0x80: 'syscall' };
export function vectorShort(v: number): string {
  return VECTOR_SHORT[v] ?? `int ${v}`;
}

/** Linux x86-64 system call numbers, the convention the samples follow. */
export const SYSCALL_NAMES: Record<number, string> = {
  0: 'read', 1: 'write', 2: 'open', 3: 'close', 9: 'mmap', 16: 'ioctl', 18: 'pwrite64', 22: 'pipe', 24: 'sched_yield', 29: 'shmget', 30: 'shmat',
  31: 'shmctl', 39: 'getpid', 57: 'fork', 59: 'execve', 60: 'exit', 61: 'wait4', 67: 'shmdt', 69: 'msgsnd', 70: 'msgrcv', 228: 'clock_gettime',
};

export function syscallName(n: number): string | undefined {
  return SYSCALL_NAMES[n];
}

export function syscallNumber(name: string): number | undefined {
  const n = name.toLowerCase();
  for (const [k, v] of Object.entries(SYSCALL_NAMES)) if (v === n) return Number(k);
  return undefined;
}

/** VM-exit reasons (VT-x numbers). */
export const ExitReason = {
  EXCEPTION: 0,
  EXTERNAL_INTERRUPT: 1,
  TRIPLE_FAULT: 2,
  HLT: 12,
  INVLPG: 14,
  VMCALL: 18,
  CR3_ACCESS: 28,
  IO: 30,
  EPT_VIOLATION: 48,
  PREEMPTION_TIMER: 52,
} as const;

const EXIT_NAMES: Record<number, string> = {
  0: 'exception', 1: 'external interrupt', 2: 'triple fault', 12: 'hlt', 14: 'invlpg', 18: 'vmcall',
  28: 'cr3 access', 30: 'i/o', 48: 'ept violation', 52: 'preemption timer',
};

/**
 * The kinds of ring and VM transition, by EventKind (emulator/events.ts): the one name each has
 * in every view (the CLI's event lines, the adapter's panel data and requests, the panels' filters
 * and legends), so that none calls a kind its own way.
 */
export const TRANSITION_KINDS = ['trap', 'interrupt', 'iret', 'vmentry', 'vmexit', 'triple-fault'] as const;
export type TransitionKindName = (typeof TRANSITION_KINDS)[number];

/** The exit reasons the machine names (VT-x numbers). */
export function exitReasonNumbers(): number[] {
  return Object.keys(EXIT_NAMES).map(Number);
}

export function exitReasonName(r: number): string {
  return EXIT_NAMES[r] ?? `reason ${r}`;
}

export function exitReasonNumber(name: string): number | undefined {
  const n = name.toLowerCase().replace(/[_-]/g, ' ');
  for (const [k, v] of Object.entries(EXIT_NAMES)) if (v === n) return Number(k);
  return /^\d+$/.test(n) ? Number(n) : undefined;
}

/** Exit-control bits. There is no exit for popf, pushf or rdsr status: VT-x has none (the guest kernel runs in non-root ring 0 instead). */
export const ExitCtl = { HLT: 1, IO: 2, CR3_WRITE: 4, INVLPG: 8, CR3_READ: 16, EXTINT: 32 } as const;
/** The VMCS's guest_activity (VT-x's guest activity state, its first two values). */
export const Activity = { ACTIVE: 0, HLT: 1 } as const;
/** The exit controls in bit order, in the words the tools show (VMCS view, info vmcs). */
export const EXIT_CTL_NAMES: readonly { bit: number; name: string }[] = [
  { bit: ExitCtl.HLT, name: 'HLT' },
  { bit: ExitCtl.IO, name: 'I/O' },
  { bit: ExitCtl.CR3_WRITE, name: 'CR3 writes' },
  { bit: ExitCtl.INVLPG, name: 'INVLPG' },
  { bit: ExitCtl.CR3_READ, name: 'CR3 reads' },
  { bit: ExitCtl.EXTINT, name: 'external interrupts' },
];
/** exit_qual of a CR3-access exit: bits 0-3 the register, this bit set for a read (`rdsr rd, cr3`). */
export const CR3_QUAL_READ = 16;

/** VM-instruction error numbers (VT-x's where one exists). */
export const VmError = {
  VMCALL_IN_ROOT: 1,
  LAUNCH_NOT_CLEAR: 4,
  RESUME_NOT_LAUNCHED: 5,
  BAD_CONTROLS: 7,
  BAD_HOST_STATE: 8,
  READ_ONLY_FIELD: 13,
  BAD_GUEST_STATE: 33,
} as const;

/** Device ports. */
export const Port = { CONSOLE_OUT: 0x10, CONSOLE_IN: 0x11, TIMER: 0x40, CYCLES_LO: 0x44, CYCLES_HI: 0x45, TLB_MISSES: 0x46, WALK_READS: 0x47, POWER: 0xf4 } as const;

/** Every device port with what a student reads about it (completion, hover, docs). */
export const PORTS: readonly { port: number; dir: 'in' | 'out'; name: string; doc: string }[] = [
  { port: Port.CONSOLE_OUT, dir: 'out', name: 'console output', doc: 'write one byte to the console' },
  { port: Port.CONSOLE_IN, dir: 'in', name: 'console input', doc: 'the next input byte, or -1 when none' },
  { port: Port.TIMER, dir: 'out', name: 'timer period', doc: 'raise interrupt 32 every N steps; 0 stops it' },
  { port: Port.CYCLES_LO, dir: 'in', name: 'cycle counter (low)', doc: 'the low 32 bits of the cycle count, this instruction included (like x86\'s time-stamp counter, rdtsc)' },
  { port: Port.CYCLES_HI, dir: 'in', name: 'cycle counter (high)', doc: 'the high bits of the cycle count' },
  { port: Port.TLB_MISSES, dir: 'in', name: 'TLB-miss counter', doc: 'the TLB misses so far (low 32 bits), host and every VM together, this instruction\'s fetch included (like an x86 performance counter read with rdpmc)' },
  { port: Port.WALK_READS, dir: 'in', name: 'page-walk read counter', doc: 'the memory reads of page walks so far (low 32 bits), EPT reads of a 2-D walk included, host and every VM together' },
  { port: Port.POWER, dir: 'out', name: 'power off', doc: 'stop the machine with this exit code' },
];
