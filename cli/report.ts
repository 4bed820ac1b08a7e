/** Human-readable lines for events, summaries and stop reasons. */
import type { Machine, RunSummary, StopReason, TransitionEvent } from '../emulator';
import type { SymbolInfo } from '../language/assembler';
import { hex32 as hex8 } from '../emulator/isa/hex';

export { hex32 as hex8 } from '../emulator/isa/hex';

// Where the CPU is and why it stopped, in the debugger's words (the vocabulary; English unless a locale is set).
import { words } from '../language/l10n';

/** Address → label name, preferring global labels; by link address, or by physical load address. */
export function labelIndex(symbols: Map<string, SymbolInfo>, physical = false): Map<number, string> {
  const m = new Map<number, string>();
  for (const s of symbols.values()) {
    if (s.kind !== 'label') continue;
    const at = physical ? s.load : s.value;
    if (at === undefined) continue;
    const prev = m.get(at);
    if (!prev || (prev.includes('.') && !s.name.includes('.'))) m.set(at, s.name);
  }
  return m;
}

/**
 * A label namer for a running machine: it translates the virtual address through the
 * current page tables first, so two programs at the same virtual address are told apart.
 */
export function labelNamer(symbols: Map<string, SymbolInfo>, translate: (va: number) => number): (va: number) => string | undefined {
  const byLoad = labelIndex(symbols, true);
  const byLink = labelIndex(symbols);
  return (va) => {
    const pa = translate(va);
    return pa >= 0 ? byLoad.get(pa) : byLink.get(va >>> 0);
  };
}

export function formatEvent(e: TransitionEvent, labelAt?: (va: number) => string | undefined): string {
  const to = labelAt?.(e.pcAfter >>> 0);
  const cause = e.kind === 0 && e.vector === 0x80 ? `${e.cause} (${e.syscall})` : e.cause;
  // Step and cycle count after the transition (spec §10: cycles shown wherever steps are).
  return `[${String(e.icount).padStart(10)} ${String(e.cycles).padStart(12)}c] ${words.where(e.fromVm, e.fromCpl).padEnd(14)} → ${words.where(e.toVm, e.toCpl).padEnd(14)} ${cause.padEnd(26)} pc ${hex8(e.pcBefore)} → ${hex8(e.pcAfter)}${to ? ` <${to}>` : ''}`;
}

const count = (o: Record<string, number>) =>
  Object.entries(o)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** The summary block; `stop` says whether the guest powered off (else it has no exit code of its own). */
export function formatSummary(s: RunSummary, stop: StopReason): string {
  const lines = [
    '',
    '── Ringside summary ──',
    `steps            ${s.instructions}`,
    `cycles           ${s.cycles}  (${count(Object.fromEntries(Object.entries(s.cyclesByCause).filter(([, v]) => v > 0)))})`,
    `transitions      ${s.transitions}${s.transitions ? `  (${count(s.byCause)})` : ''}`,
    // "host" only beside VMs: a program that never entered one has a TLB, not a host.
    `${s.vms.length ? `TLB (${words.space(0)})` : 'TLB'}`.padEnd(17) + `hits ${s.tlb.hits}, misses ${s.tlb.misses}, flushes ${s.tlb.flushes}, page-walk reads ${s.tlb.walkReads}`,
  ];
  for (const v of s.vms) {
    lines.push(`${words.space(v.id).padEnd(17)}entries ${v.entries}, exits ${v.exitCount}${v.exitCount ? ` (${count(v.exits)})` : ''}, guest steps ${v.instructions}, cycles ${v.cycles} in the guest + ${v.hostCycles} in the hypervisor`);
    lines.push(`  TLB            hits ${v.tlb.hits}, misses ${v.tlb.misses}, flushes ${v.tlb.flushes}, page-walk reads ${v.tlb.walkReads}`);
  }
  lines.push(`exit code        ${stop === 'poweroff' ? s.exitCode : `none: the guest did not power off (${stop})`}`, '');
  return lines.join('\n');
}

export function stopExplanation(stop: StopReason, m: Machine, maxSteps: number): string {
  switch (stop) {
    case 'poweroff':
      return words.stop({ kind: 'power-off', code: m.exitCode });
    case 'triple-fault':
    case 'deadlock':
      return words.stop(m.stopCause);
    default:
      return `stopped: instruction limit of ${maxSteps} steps reached at pc ${hex8(m.pc)} (${words.whereNow(m)}); the guest did not power off (raise it with --max-instructions)`;
  }
}
