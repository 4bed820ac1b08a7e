/**
 * Debug Console commands: `info tlb`, `info pt [va]`, `va2pa VA`, `info vmcs`,
 * `info exits`, `info cycles`, `x/N addr`, `input TEXT`, `help`. Anything else is an
 * expression. Commands answer in text for a student, not in raw dumps.
 */
import { isa, Machine } from '../../emulator';
import { spaceOf } from '../engine/spaces';
import { runsOf } from './pageRuns';
import { evaluateText, formatValue, hex8, Value, type EvalEnv } from '../engine/expressions';
import type { Runtime } from '../engine/runtime';
import { entryFlags } from './variables';
import { disassembleRange } from './disassembly';
import type { Translate } from '../engine/memory';

/** The frame a command is seen from: its expressions' environment, and its address space's walk. */
export interface CommandFrame {
  env: EvalEnv;
  tr?: Translate;
}
import { byCauseLines, clockText, count, costsName } from '../engine/cycles';
import { vmcsFieldNote } from '../engine/vmcsNotes';
import { k, t, words } from '../../language/l10n';

export const HELP = k(`Ringside Debug Console
  EXPR              evaluate: registers (r0-r15 sp fp pc status flags cr0 cr2 cr3 ivt ksp ksp1),
                    flags (Z N C V IF), cpl, vm, icount, cycles, labels, .equ names, numbers, 'c',
                    [addr] a word of virtual memory, byte [addr], phys:addr physical,
                    + - * / % << >> & | ^ ~ ( ) == != < <= > >= && || !
  info tlb          the TLB: every valid entry and the hit/miss counters
  info pt [VA]      the page tables of the current address space, or the walk for VA
  va2pa VA          translate a virtual address, with every memory read of the walk
  info vmcs         the fields of the current VMCS
  info exits        VM exits: counts by reason per VM, and the latest ones
  info cycles       the cycle count: by cause, the cost table, and per VM (guest / hypervisor)
  x/N[w|b|i] ADDR   examine N words (w), bytes (b) or instructions (i) at ADDR (virtual or phys:)
  input TEXT        type TEXT and Enter into the guest's console (input -n TEXT: without Enter);
                    while the guest runs, any line that is not a command is typed into its console
  help              this text`);

export function isCommand(line: string): boolean {
  return /^\s*(info\b|va2pa\b|x\/|x\s|input\b|help\b)/.test(line);
}

/**
 * A Debug Console command, seen from the frame the client shows (`at`: its expressions, and the
 * address space `x/i` disassembles in; the CPU's by default).
 */
export function runCommand(rt: Runtime, line: string, at: CommandFrame = { env: rt.env }): string {
  const m = rt.machine;
  const text = line.trim();
  const [cmd, ...rest] = text.split(/\s+/);
  const arg = rest.join(' ');
  const value = (e: string): Value => evaluateText(e, at.env);
  if (cmd === 'help') return t(HELP);
  if (cmd === 'input') {
    const noEnter = rest[0] === '-n';
    const s = (noEnter ? rest.slice(1).join(' ') : arg).replace(/\\n/g, '\n').replace(/\\t/g, '\t');
    rt.input(noEnter ? s : s + '\n');
    return t("typed {0} into the guest's console", JSON.stringify(noEnter ? s : s + '\n'));
  }
  if (cmd === 'va2pa') {
    if (!arg) throw new Error(t('usage: va2pa VA'));
    return walkText(m, value(arg).value);
  }
  if (cmd.startsWith('x')) return examine(rt, text, at);
  if (cmd === 'info') {
    switch (rest[0]) {
      case 'tlb':
        return tlbText(m);
      case 'pt':
        return rest.length > 1 ? walkText(m, value(rest.slice(1).join(' ')).value) : tablesText(m);
      case 'vmcs':
        return vmcsText(m);
      case 'exits':
        return exitsText(rt);
      case 'cycles':
        return cyclesText(m);
      default:
        throw new Error(t("unknown info command '{0}': try info tlb, info pt [va], info vmcs, info exits, info cycles", rest[0] ?? ''));
    }
  }
  throw new Error(t("unknown command '{0}' (type help)", cmd));
}

function tlbText(m: Machine): string {
  const entries = m.tlbEntries();
  const host = m.tlbStatsOf(0);
  const walk = (n: number) => t('page-walk reads {0} ({1} cycles)', n, count(n * m.costs.walkRead));
  const vms = m.vmSummaries();
  // Spaces are named only where there are several: before any VM the TLB is the machine's alone.
  const lines = [
    vms.length
      ? t('TLB: {0} valid entries ({1}: hits {2}, misses {3}, flushes {4}, {5})', entries.length, words.space(0), host.hits, host.misses, host.flushes, walk(host.walkReads))
      : t('TLB: {0} valid entries (hits {1}, misses {2}, flushes {3}, {4})', entries.length, host.hits, host.misses, host.flushes, walk(host.walkReads)),
  ];
  for (const v of vms) lines.push('  ' + t('{0}: hits {1}, misses {2}, flushes {3}, {4}', words.space(v.id), v.tlb.hits, v.tlb.misses, v.tlb.flushes, walk(v.tlb.walkReads)));
  for (const e of entries) {
    lines.push(`  slot ${String(e.slot).padStart(4)}  ${vms.length ? `${words.space(e.tag)}  ` : ''}${hex8(e.va)} → ${hex8(e.pa)}  ${e.writable ? 'W' : '-'}${e.user ? 'U' : '-'}${e.dirty ? 'D' : '-'}${e.executable ? 'X' : '-'}`);
  }
  return lines.join('\n');
}

export function walkText(m: Machine, va: number): string {
  const w = m.explainWalk(va);
  const lines = [t('{0}: directory index {1}, table index {2}, offset {3}', hex8(va), va >>> 22, (va >>> 12) & 0x3ff, hex8(va & 0xfff)) + (w.tlbHit ? ' ' + t('(cached in the TLB)') : '')];
  if (!m.paging && !w.reads.length) lines.push('  ' + t('paging is off (cr0.PG = 0): linear = physical'));
  for (const r of w.reads) lines.push(`  read ${r.what.padEnd(7)} at ${hex8(r.address)} = ${hex8(r.value)}  (${entryFlags(r.value, r.what.startsWith('ept'))})${r.gpa !== undefined ? ` for guest-physical ${hex8(r.gpa)}` : ''}`);
  lines.push(w.pa !== undefined ? '  → ' + t('physical {0}', hex8(w.pa)) : `  → ${w.fault ? words.walkFault(w.fault) : t('no translation')}`);
  return lines.join('\n');
}

export function tablesText(m: Machine): string {
  if (!m.paging) return t('paging is off (cr0.PG = 0): linear addresses are physical');
  const { space } = spaceOf(m, m.currentVm);
  const cr3 = space.cr3;
  const { tables, truncated } = m.pageTables(cr3, false, 4096, m.guestToHost(space));
  const lines = [t('page directory at {0} (cr3):', hex8(cr3))];
  for (const t of tables) {
    lines.push(`  [${t.dir}] ${hex8(t.dir << 22)}-${hex8(((t.dir + 1) << 22) - 1)}  entry ${hex8(t.entry)} (${entryFlags(t.entry, false)}), table at ${hex8(t.tableAddress)}`);
    // One line per run, merged by the rule the Page Tables panel's rows use.
    for (const r of runsOf(t)) {
      const n = r.count;
      const last = (a: number) => (n > 1 ? `-${hex8(a + n * 4096 - 1)}` : '');
      lines.push(`      ${hex8(r.va)}${last(r.va)} → ${hex8(r.target)}${last(r.target)}  ${entryFlags(r.entry, false).replace(/ frame.*/, '')}${n > 1 ? ` (${n} pages)` : ''}`);
    }
  }
  if (truncated) lines.push('  ' + t('... (more mappings not shown)'));
  return lines.join('\n');
}

function vmcsText(m: Machine): string {
  const vmcs = m.currentVmcs;
  if (vmcs < 0) return t('no VMCS is current (vmptrld loads one)');
  const lines = [(m.nonRoot ? t('VMCS at {0} ({1} is running):', hex8(vmcs), words.space(m.currentVm)) : t('VMCS at {0}:', hex8(vmcs)))];
  const reason = m.vmcsField(vmcs, isa.VmcsField.exit_reason);
  for (const f of isa.VMCS_FIELDS) {
    const v = m.vmcsField(vmcs, f.id);
    const n = vmcsFieldNote(f.name, v, reason);
    const note = n ? `  ${n}` : '';
    lines.push(`  ${f.name.padEnd(17)} ${formatValue(v)}${note}${f.writable ? '' : '  ' + t('(read-only)')}`);
  }
  return lines.join('\n');
}

function exitsText(rt: Runtime): string {
  const m = rt.machine;
  const vms = m.vmSummaries();
  if (!vms.length) return t('no VM has run yet');
  const lines: string[] = [];
  for (const v of vms) {
    const counts = Object.entries(v.exits).map(([k, n]) => `${k} ${n}`).join(', ');
    lines.push(t('{0} (VMCS {1}): {2} entries, {3} exits{4}, {5} guest steps, {6} guest cycles, {7} hypervisor cycles', words.space(v.id), hex8(v.vmcs), v.entries, v.exitCount, counts ? ` (${counts})` : '', v.instructions, count(v.cycles), count(v.hostCycles)));
  }
  const recent: string[] = [];
  for (let i = m.eventCount - 1; i >= 0 && recent.length < 10; i--) {
    const e = m.event(i);
    if (e.kind === 4) recent.push('  ' + t('[{0}, {1} cycles] {2}: {3} at guest pc {4}', e.icount, count(e.cycles), words.space(e.fromVm), isa.exitReasonName(e.exitReason), hex8(e.pcBefore)));
  }
  if (recent.length) lines.push(t('latest exits:'), ...recent.reverse());
  return lines.join('\n');
}

function cyclesText(m: Machine): string {
  const lines = [`${clockText(m)} (costs: ${costsName(m)})`];
  for (const l of byCauseLines(m)) lines.push(`  ${l.name.padEnd(11)} ${l.value}`);
  const vms = m.vmSummaries();
  for (const v of vms) lines.push(t('{0}: {1} cycles in the guest (its exits included), {2} in the hypervisor for it', words.space(v.id), count(v.cycles), count(v.hostCycles)));
  lines.push(`cost table: ${isa.COST_ENTRIES.map((e) => `${e.name} ${m.costs[e.name]}`).join(', ')} (launch attribute "costs")`);
  return lines.join('\n');
}

function examine(rt: Runtime, text: string, at: CommandFrame): string {
  const m = rt.machine;
  const mt = /^x(?:\/(\d*)([wbi]?))?\s+(.+)$/.exec(text);
  if (!mt) throw new Error(t('usage: x/N[w|b|i] ADDR, e.g. x/8 sp or x/16b phys:0x1000'));
  const n = Math.min(Number(mt[1] || '4'), 4096);
  const unit = mt[2] || 'w';
  const start = evaluateText(mt[3], at.env);
  const phys = start.physical === true;
  if (unit === 'i') {
    if (phys) throw new Error(t('x/i reads virtual addresses (the pc\'s view)'));
    return disassembleRange(m, rt.program, start.value, 0, n, at.tr).map((d) => `${hex8(d.address)}${d.symbol ? ` <${d.symbol}>` : ''}  ${d.text}`).join('\n');
  }
  const size = unit === 'b' ? 1 : 4;
  const perRow = unit === 'b' ? 16 : 4;
  const lines: string[] = [];
  for (let row = 0; row < n; row += perRow) {
    const addr = (start.value + row * size) >>> 0;
    const cells: string[] = [];
    for (let i = row; i < Math.min(n, row + perRow); i++) {
      const a = (start.value + i * size) >>> 0;
      try {
        const v = at.env.read(a, phys, size as 1 | 4);
        cells.push(size === 1 ? v.toString(16).padStart(2, '0') : hex8(v));
      } catch (e) {
        if (!cells.length) {
          lines.push(`${phys ? 'phys:' : ''}${hex8(addr)}: ${(e as Error).message}`);
          return lines.join('\n');
        }
        cells.push('??');
      }
    }
    lines.push(`${phys ? 'phys:' : ''}${hex8(addr)}: ${cells.join(' ')}`);
  }
  return lines.join('\n');
}
