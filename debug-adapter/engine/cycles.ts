/**
 * The cycle count (the machine's cost model, docs/isa.md "Cycle cost model")
 * in the debugger's words: the total beside the instruction count, cycles by
 * cause with the sum that makes each, and a VM's split between guest and
 * hypervisor. Entry names and their order come from the cost table itself.
 */
import { isa, Machine } from '../../emulator';
import type { VmSummary } from '../../emulator/machine';
import { t } from '../../language/l10n';

/** 5944 → "5,944": cycle counts grow large, and students read them. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "instruction 5300, 5,944 cycles": where the machine is in both clocks. */
export function clockText(m: Machine): string {
  return t('instruction {0}, {1} cycles', m.icount, count(m.cycles));
}

/** The preset whose table this is, if any ("default", "vtx-2006"), else "custom". */
export function costsName(m: Machine): string {
  const c = m.costs;
  const p = isa.COST_PRESETS.find((x) => isa.COST_ENTRIES.every((e) => x.table[e.name] === c[e.name]));
  return p ? p.name : 'custom';
}

/** One line per cost entry: its cycles, and the events × cost that make them. */
export function byCauseLines(m: Machine): { name: string; value: string; what: string }[] {
  const { byCause } = m.cycleBreakdown();
  const c = m.costs;
  return isa.COST_ENTRIES.map((e) => {
    const v = byCause[e.name];
    const each = c[e.name];
    return { name: e.name, value: each > 0 ? `${count(v)} = ${count(v / each)} × ${count(each)}` : `${count(v)} (costs 0)`, what: e.what };
  });
}

/** The summary of the VM whose VMCS is at `vmcs`, if it has run. */
export function vmByVmcs(m: Machine, vmcs: number): VmSummary | undefined {
  if (!m.vms().some((v) => v.vmcs === vmcs)) return undefined;
  return m.vmSummaries().find((v) => v.vmcs === vmcs);
}
