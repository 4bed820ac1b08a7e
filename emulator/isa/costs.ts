/**
 * The cycle cost model (the machine's §10): what each kind of event costs in
 * cycles, the default table and the era presets, with their sources. The CPU
 * counts events; cycles are those counts times this table, so a launch can
 * swap the table without changing the run. docs/isa.md is generated from here.
 */

export interface CostTable {
  /** Every instruction executed (also one that faults or exits), and every idle tick of `hlt`. */
  instruction: number;
  /** Each memory read of a page walk on a TLB miss (2 natively, up to 8 under EPT; fewer when the walk stops at an entry that is not present). */
  walkRead: number;
  /** Delivering a trap, interrupt or `syscall` (the ring change included). */
  trap: number;
  /** An `iret`, on top of its instruction. */
  iret: number;
  /** The flush itself of a `cr3` write or an `invlpg` (the misses after it are counted as they happen). */
  flush: number;
  /** A VM exit plus the VM entry that follows it. */
  vmExit: number;
}

export type CostName = keyof CostTable;

/**
 * A machine's own copy of a table, always built with this one shape: V8 gives spread copies
 * ({ ...t }) a new map after a few machines, and then drops the compiled code of every machine
 * that reads the costs (the cycle count in the trap path and the block compiler's regions).
 */
export function copyCosts(t: Readonly<CostTable>): CostTable {
  return { instruction: t.instruction, walkRead: t.walkRead, trap: t.trap, iret: t.iret, flush: t.flush, vmExit: t.vmExit };
}

/** The entries in the order the docs, the CLI and the debugger list them, with the words a student reads. */
export const COST_ENTRIES: readonly { name: CostName; what: string }[] = [
  { name: 'instruction', what: 'any instruction (also one that faults or exits), and each idle tick while halted' },
  { name: 'walkRead', what: 'each memory read of a page walk on a TLB miss (2 natively, up to 8 under EPT; a walk stops at the first entry not present: 1 read for a missing directory entry)' },
  { name: 'trap', what: 'delivering a trap, interrupt or syscall (the ring change included)' },
  { name: 'iret', what: 'iret (on top of its instruction)' },
  { name: 'flush', what: 'the flush of a cr3 write or an invlpg (the misses that follow are counted as they happen)' },
  { name: 'vmExit', what: 'a VM exit plus the VM entry that follows it' },
];

export const DEFAULT_COSTS: Readonly<CostTable> = { instruction: 1, walkRead: 20, trap: 50, iret: 50, flush: 20, vmExit: 1000 };

export interface CostPreset {
  name: string;
  table: Readonly<CostTable>;
  title: string;
  /** Where the figures come from, for the ISA reference. */
  source: string;
}

/**
 * Era presets. The figures are rounded orders of magnitude, not one chip's
 * measurements: what matters to the lessons is the ratio between an
 * instruction, a ring crossing and a VM exit.
 */
export const COST_PRESETS: readonly CostPreset[] = [
  {
    name: 'default',
    table: DEFAULT_COSTS,
    title: "today's VT-x (the default)",
    source:
      'A recent Intel core: a system call round trip (syscall + sysret, or a trap and iret) costs on the order of 100 cycles, a page-walk read that hits the caches tens of cycles, and a VM exit plus the entry after it on the order of 1,000 cycles once the hypervisor\'s minimal handling is counted (the hardware transition alone fell to a few hundred cycles over the Core generations: Intel SDM vol. 3C ch. 25-27 describe what an exit saves and loads; VMware\'s measurements of VMEXIT latency by processor generation, 2009).',
  },
  {
    name: 'vtx-2006',
    table: { instruction: 1, walkRead: 20, trap: 50, iret: 50, flush: 20, vmExit: 4000 },
    title: 'first-generation VT-x (Pentium 4, 2005-2006)',
    source:
      'Adams & Agesen, "A Comparison of Software and Hardware Techniques for x86 Virtualization" (ASPLOS 2006): on the first VT-x processors (NetBurst Prescott/Cedar Mill) a VM exit plus entry cost thousands of cycles, several times today\'s, which is why VMware\'s binary translator often beat the hardware VMM; VMware\'s 2009 measurements show the VMEXIT latency falling severalfold from NetBurst to Nehalem. Only the exit cost differs from the default, so a comparison between the two presets isolates it.',
  },
];

/** Names accepted for a preset (its name, case-insensitive). */
export function costPreset(name: string): CostPreset | undefined {
  const n = name.trim().toLowerCase();
  return COST_PRESETS.find((p) => p.name === n);
}

/** What a launch or the CLI may give: a preset name, or an object with an optional preset and entries to replace. */
export type CostSpec = string | ({ preset?: string } & Partial<Record<CostName, unknown>>);

/**
 * Resolve a cost specification into a full table, or an error a student can act on.
 * Every entry must be a whole number of cycles from 0 to 1,000,000.
 */
export function resolveCosts(spec: CostSpec | undefined): { costs: CostTable } | { error: string } {
  if (spec === undefined || spec === null) return { costs: { ...DEFAULT_COSTS } };
  const presets = COST_PRESETS.map((p) => `"${p.name}"`).join(', ');
  if (typeof spec === 'string') {
    const p = costPreset(spec);
    return p ? { costs: { ...p.table } } : { error: `unknown cost preset "${spec}": use one of ${presets}` };
  }
  if (typeof spec !== 'object' || Array.isArray(spec)) return { error: `costs must be a preset name (${presets}) or an object such as { "preset": "vtx-2006", "vmExit": 2000 }` };
  let base: CostTable = { ...DEFAULT_COSTS };
  if (spec.preset !== undefined) {
    const p = typeof spec.preset === 'string' ? costPreset(spec.preset) : undefined;
    if (!p) return { error: `unknown cost preset ${JSON.stringify(spec.preset)}: use one of ${presets}` };
    base = { ...p.table };
  }
  const names = COST_ENTRIES.map((e) => e.name);
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'preset') continue;
    if (!(names as string[]).includes(k)) return { error: `unknown cost "${k}": the entries are ${names.join(', ')} (and "preset")` };
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1_000_000) return { error: `cost "${k}" must be a whole number of cycles from 0 to 1000000, not ${JSON.stringify(v)}` };
    base[k as CostName] = v;
  }
  return { costs: base };
}

/** The events the CPU counts for the cost model; cycles = Σ count × cost. */
export interface CostCounts {
  instructions: number;
  walkReads: number;
  traps: number;
  irets: number;
  flushes: number;
  vmExits: number;
}

/** Cycles by cause (the same keys as the table), and their total. */
export function cyclesOf(c: CostCounts, t: CostTable): { total: number; byCause: Record<CostName, number> } {
  const byCause: Record<CostName, number> = {
    instruction: c.instructions * t.instruction,
    walkRead: c.walkReads * t.walkRead,
    trap: c.traps * t.trap,
    iret: c.irets * t.iret,
    flush: c.flushes * t.flush,
    vmExit: c.vmExits * t.vmExit,
  };
  let total = 0;
  for (const v of Object.values(byCause)) total += v;
  return { total, byCause };
}
