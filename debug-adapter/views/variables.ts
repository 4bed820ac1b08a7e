/**
 * Scopes and variables: Registers, System, Paging (the walk for the current
 * pc and the TLB), VMCS. Every value that the hardware lets software change
 * is editable; the ones it does not (CPL, the TLB, read-only VMCS fields)
 * say why when written. Containers are numbered afresh at every stop.
 */
import { describeEvent } from '../engine/exceptions';
import { TransitionNames } from '../engine/transitionNames';
import { isa, Machine } from '../../emulator';
import { evaluateText, EvalEnv, formatValue, hex8 } from '../engine/expressions';
import type { FrameInfo } from './stackframes';
import { isTopFrame, runsNow, vmOfThread } from './stackframes';
import { guestSpace } from '../engine/spaces';
import { byCauseLines, count, costsName, vmByVmcs } from '../engine/cycles';
import { vmcsFieldNote } from '../engine/vmcsNotes';
import { t as tr, words } from '../../language/l10n';

const { Status, VMCS_FIELDS, SYSTEM_REGISTERS } = isa;

export interface Var {
  name: string;
  value: string;
  ref: number;
  /** For watch/copy: an expression that gives this value. */
  evaluateName?: string;
  /** A pointer-like value: open it in the memory view. */
  memoryReference?: string;
  readOnly?: string;
  /** Physical word this variable is (page-table entries, VMCS fields): data breakpoints can watch it. */
  physical?: number;
  /** Its children are a list of this many (DAP's indexed variables: a client may page through them). */
  indexed?: number;
}

type Container =
  /** An outer frame's own pc (the call or trap that made it) and what it saved (stackframes.ts `saved`); the other registers are the CPU's now. */
  | { kind: 'registers'; pc?: number; saved?: FrameInfo['saved'] }
  | { kind: 'flags'; status?: number }
  | { kind: 'system' }
  | { kind: 'status' }
  | { kind: 'cr0' }
  | { kind: 'paging' }
  | { kind: 'tlb' }
  | { kind: 'cycles' }
  | { kind: 'vmcs'; vmcs: number; live: boolean };

export interface ScopeInfo {
  name: string;
  ref: number;
  expensive: boolean;
}

const BIT_NAMES: [string, number][] = [['Z', Status.Z], ['N', Status.N], ['C', Status.C], ['V', Status.V], ['IF', Status.IF]];
const bool = (v: number) => (v ? '1' : '0');

export class Variables {
  private containers: Container[] = [];

  /** `names`: what the program calls its transitions (transitionNames.ts), for the last one's words. */
  constructor(private readonly m: Machine, private readonly env: EvalEnv, private readonly edited: () => void, private readonly names: () => TransitionNames = () => TransitionNames.none) {}

  /** Forget every container (the machine moved). */
  reset(): void {
    this.containers = [];
  }

  private add(c: Container): number {
    this.containers.push(c);
    return this.containers.length;
  }

  scopes(frame: FrameInfo): ScopeInfo[] {
    const m = this.m;
    if (!runsNow(m, frame)) {
      const vm = frame.space ?? vmOfThread(frame.threadId);
      const g = vm > 0 ? guestSpace(m, vm) : undefined;
      const vmcs = g?.vmcs ?? m.currentVmcs;
      return vmcs >= 0 ? [{ name: vm > 0 ? tr('{0} state (VMCS)', words.space(vm)) : 'VMCS', ref: this.add({ kind: 'vmcs', vmcs, live: false }), expensive: false }] : [];
    }
    const out: ScopeInfo[] = [
      { name: tr('Registers'), ref: this.add(isTopFrame(frame) ? { kind: 'registers' } : { kind: 'registers', pc: frame.pc, saved: frame.saved }), expensive: false },
      { name: tr('System'), ref: this.add({ kind: 'system' }), expensive: false },
      { name: tr('Paging'), ref: this.add({ kind: 'paging' }), expensive: false },
    ];
    if (m.currentVmcs >= 0) out.push({ name: 'VMCS', ref: this.add({ kind: 'vmcs', vmcs: m.currentVmcs, live: true }), expensive: false });
    return out;
  }

  variables(ref: number): Var[] {
    const c = this.containers[ref - 1];
    if (!c) throw new Error(tr('no variables for reference {0} (they expire when the machine moves)', ref));
    const m = this.m;
    const st = m.sysReg(0);
    switch (c.kind) {
      case 'registers': {
        const out: Var[] = [];
        for (let i = 0; i < 16; i++) {
          const name = isa.registerName(i);
          out.push(this.reg(name, i === 15 && c.saved ? c.saved.sp : m.register(i)));
        }
        out.push(this.reg('pc', c.pc ?? m.pc));
        const status = c.saved?.status;
        out.push({ name: 'flags', value: flagText(status ?? st), ref: this.add({ kind: 'flags', status }), evaluateName: 'flags' });
        return out;
      }
      case 'flags':
        return BIT_NAMES.map(([n, bit]) => ({ name: n, value: bool((c.status ?? st) & bit), ref: 0, evaluateName: n }));
      case 'status':
        return [
          ...BIT_NAMES.map(([n, bit]) => ({ name: n, value: bool(st & bit), ref: 0, evaluateName: n })),
          { name: 'CPL', value: String(m.cpl), ref: 0, evaluateName: 'cpl', readOnly: tr('CPL changes only through traps, iret and VM entry/exit') },
        ];
      case 'system': {
        const out: Var[] = [
          { name: 'status', value: `${hex8(st)} (${flagText(st)}, CPL ${m.cpl})`, ref: this.add({ kind: 'status' }), evaluateName: 'status' },
          // Not a bit of status: no instruction tells a guest it runs in a VM; the debugger knows from the machine.
          { name: 'mode', value: words.mode(m.nonRoot, m.currentVm), ref: 0, readOnly: tr('the mode changes only on VM entry and exit (it is not in status: a guest cannot see it)') },
        ];
        for (const sr of SYSTEM_REGISTERS) {
          if (sr.id === 0) continue;
          const v = m.sysReg(sr.id);
          if (sr.name === 'cr0') out.push({ name: 'cr0', value: `${hex8(v)} (${v & 1 ? 'PG' : tr('paging off')}${v & isa.Cr0.WP ? ', WP' : ''})`, ref: this.add({ kind: 'cr0' }), evaluateName: 'cr0' });
          else out.push({ ...this.reg(sr.name, v) });
        }
        out.push({ name: 'icount', value: String(m.icount), ref: 0, evaluateName: 'icount', readOnly: tr("the instruction count is the machine's clock") });
        out.push({ name: 'cycles', value: `${count(m.cycles)} (costs: ${costsName(m)})`, ref: this.add({ kind: 'cycles' }), readOnly: tr('cycles are counted by the machine; the launch attribute "costs" sets what each event costs') });
        // The last ring or mode change, in words (named by the program when it is a hypercall, say).
        if (m.eventCount > 0) out.push({ name: 'last transition', value: describeEvent(m.event(m.eventCount - 1), { names: this.names() }), ref: 0, readOnly: tr('the machine records transitions as they happen') });
        return out;
      }
      case 'cycles':
        return byCauseLines(m).map((l) => ({ name: l.name, value: l.value, ref: 0, readOnly: tr('cycles for {0} are counted by the machine', l.what) }));
      case 'cr0': {
        const v = m.sysReg(1);
        return [
          { name: 'PG', value: bool(v & isa.Cr0.PG), ref: 0 },
          { name: 'WP', value: bool(v & isa.Cr0.WP), ref: 0 },
        ];
      }
      case 'paging':
        return this.paging();
      case 'tlb':
        return m.tlbEntries().map((e) => ({
          name: `slot ${e.slot}`,
          value: `${e.tag ? `${words.space(e.tag)} ` : ''}${hex8(e.va)} → ${hex8(e.pa)}${e.writable ? ' W' : ''}${e.user ? ' U' : ''}${e.dirty ? ' D' : ''}${e.executable ? ' X' : ''}`,
          ref: 0,
          readOnly: tr('the TLB cannot be written: change the page-table entry, then invlpg or write cr3'),
        }));
      case 'vmcs': {
        const reason = m.readWordPhysical(isa.vmcsFieldAddress(c.vmcs, isa.VmcsField.exit_reason));
        // While this VMCS's guest runs, its guest-state fields are what the last VM exit saved,
        // not the guest's registers now: say so, or guest_pc looks wrong beside the pc.
        const running = m.nonRoot && c.vmcs === m.currentVmcs;
        const saved = (name: string) => (!running || !name.startsWith('guest_') ? '' : name === 'guest_pc' ? tr('saved at the last VM exit; the guest runs at {0} now', hex8(m.pc)) : tr('saved at the last VM exit'));
        const fields: Var[] = VMCS_FIELDS.map((f) => {
          const addr = isa.vmcsFieldAddress(c.vmcs, f.id);
          const v = m.readWordPhysical(addr);
          const notes = [vmcsFieldNote(f.name, v, reason), saved(f.name)].filter(Boolean);
          return {
            name: f.name,
            value: formatValue(v) + notes.map((n) => ` — ${n}`).join(''),
            ref: 0,
            evaluateName: `[phys:${hex8(addr)}]`,
            physical: addr,
            readOnly: f.writable ? undefined : tr('{0} is read-only: the machine writes it', f.name),
          };
        });
        const vm = vmByVmcs(m, c.vmcs);
        if (vm) {
          const ro = tr('cycles are counted by the machine');
          fields.push({ name: 'guest cycles', value: tr('{0} ({1}, its exits included)', count(vm.cycles), words.space(vm.id)), ref: 0, readOnly: ro });
          fields.push({ name: 'hypervisor cycles', value: tr("{0} (root mode, from {1}'s exits to the next entry)", count(vm.hostCycles), words.space(vm.id)), ref: 0, readOnly: ro });
        }
        return fields;
      }
    }
  }

  private reg(name: string, v: number): Var {
    return { name, value: formatValue(v), ref: 0, evaluateName: name, memoryReference: hex8(v) };
  }

  private paging(): Var[] {
    const m = this.m;
    const w = m.explainWalk(m.pc, 'fetch');
    const paging = m.paging;
    const out: Var[] = [
      { name: 'pc translation', value: w.pa !== undefined ? `${hex8(m.pc)} → ${hex8(w.pa)}${w.tlbHit ? ` (${tr('in the TLB')})` : ''}` : `${hex8(m.pc)}: ${w.fault ? words.walkFault(w.fault) : tr('no translation')}`, ref: 0, readOnly: tr('computed') },
    ];
    if (!paging && !(m.nonRoot && w.reads.length)) out.push({ name: 'paging', value: tr('off (cr0.PG = 0): linear = physical'), ref: 0, readOnly: tr('computed') });
    const labels: Record<string, string> = { pde: 'directory entry', pte: 'table entry', 'ept-pde': 'EPT directory entry', 'ept-pte': 'EPT table entry' };
    for (const r of w.reads) {
      out.push({
        name: `${labels[r.what]} @ ${hex8(r.address)}`,
        value: `${hex8(r.value)} (${entryFlags(r.value, r.what.startsWith('ept'))})`,
        ref: 0,
        evaluateName: `[phys:${hex8(r.address)}]`,
        physical: r.address,
      });
    }
    const t = m.tlbEntries();
    out.push({ name: 'TLB', value: tr('{0} valid entries', t.length), ref: this.add({ kind: 'tlb' }), readOnly: tr('computed'), indexed: t.length });
    return out;
  }

  /** Whether a container's children are a list (indexed) rather than named values. */
  indexed(ref: number): boolean {
    return this.containers[ref - 1]?.kind === 'tlb';
  }

  /** The physical word behind a variable, for a data breakpoint. */
  physicalOf(ref: number, name: string): number | undefined {
    return this.variables(ref).find((v) => v.name === name)?.physical;
  }

  /** Set a variable from a value expression; returns the new display value. */
  set(ref: number, name: string, text: string): string {
    const c = this.containers[ref - 1];
    if (!c) throw new Error(tr('no variables for reference {0} (they expire when the machine moves)', ref));
    const v = this.variables(ref).find((x) => x.name === name);
    if (!v) throw new Error(tr("no variable '{0}' here", name));
    if (v.readOnly) throw new Error(tr("{0} can't be changed: {1}", name, v.readOnly));
    const value = evaluateText(text, this.env).value;
    const m = this.m;
    const st = m.sysReg(0);
    const setBit = (word: number, bit: number) => (value ? word | bit : word & ~bit);
    switch (c.kind) {
      case 'registers':
        if (name === 'pc') m.pc = value;
        else m.setRegister(isa.registerNumber(name)!, value | 0);
        break;
      case 'flags':
      case 'status': {
        const bit = BIT_NAMES.find(([n]) => n === name)![1];
        m.setSysReg(0, setBit(st, bit));
        break;
      }
      case 'system':
        if (name === 'status') {
          if ((value & Status.CPL_MASK) !== (st & Status.CPL_MASK)) {
            throw new Error(tr('status: only the flags and IF can be written; CPL changes only through traps, iret and VM entry/exit'));
          }
          m.setSysReg(0, value);
        } else m.setSysReg(isa.sysRegByName(name)!.id, value | 0);
        break;
      case 'cr0':
        m.setSysReg(1, setBit(m.sysReg(1), name === 'PG' ? isa.Cr0.PG : isa.Cr0.WP));
        break;
      case 'paging':
      case 'vmcs':
        m.writePhysical(v.physical!, new Uint8Array(new Uint32Array([value]).buffer));
        break;
      default:
        throw new Error(tr("{0} can't be changed", name));
    }
    this.edited();
    return this.variables(ref).find((x) => x.name === name)?.value ?? formatValue(value);
  }
}

export function flagText(st: number): string {
  const on = BIT_NAMES.filter(([, bit]) => st & bit).map(([n]) => n);
  return on.length ? on.join(' ') : 'no flags';
}

export function entryFlags(e: number, ept: boolean): string {
  const frame = `frame ${hex8(e & ~0xfff)}`;
  if (ept) return `${isa.EPTE_BITS.map(([bit, letter]) => (e & bit ? letter : '-')).join('')} ${frame}`;
  if (!(e & isa.PTE.P)) return 'not present';
  return `${isa.PTE_BITS.filter(([bit]) => e & bit).map(([, letter]) => letter).join(' ')} ${frame}`;
}
