/**
 * Read-only views of the MMU for the tools: a translation walk explained step
 * by step (every memory read, with EPT's nested reads), the mappings of an
 * address space, and the TLB. Nothing here changes the machine.
 */
import type { Cpu } from './cpu';
import { Cr0 } from './isa/registers';
import { TlbPerm } from './tlb';
import { hex32 as hex } from './isa/hex';

export type AccessKind = 'read' | 'write' | 'fetch';

export interface WalkRead {
  /** What was read: the guest's directory/table entry, or an EPT entry. */
  what: 'pde' | 'pte' | 'ept-pde' | 'ept-pte';
  /** Host-physical address read. */
  address: number;
  value: number;
  /** For EPT reads: the guest-physical address being translated. */
  gpa?: number;
}

export interface WalkExplanation {
  va: number;
  access: AccessKind;
  cpl: number;
  reads: WalkRead[];
  /** Guest-physical address (equals `pa` without EPT). */
  gpa?: number;
  pa?: number;
  fault?: { kind: 'page-fault' | 'ept-violation' | 'outside-memory'; errorCode: number; message: string };
  /** Whether the TLB currently holds this page for the current address space. */
  tlbHit: boolean;
}


/**
 * An address space other than the running one (a VM that is not running, or
 * the host while a guest runs): its cr0, cr3, EPT pointer (0 = none) and TLB tag.
 */
export interface AddressSpace {
  cr0: number;
  cr3: number;
  eptp: number;
  tag: number;
}

/**
 * Explain how `va` translates now, as a walk would do it (without setting A/D
 * bits or counting). `space` walks another address space's tables instead of
 * the running one's (the debugger's view of a VM that is not running).
 */
export function explainWalk(cpu: Cpu, va: number, access: AccessKind = 'read', cpl = cpu.cpl, space?: AddressSpace): WalkExplanation {
  const reads: WalkRead[] = [];
  const res: WalkExplanation = { va: va >>> 0, access, cpl, reads, tlbHit: tlbHas(cpu, va, space?.tag) };
  const write = access === 'write';
  const user = cpl === 3;
  const ept = space ? space.eptp !== 0 : cpu.nonRoot && cpu.eptp !== 0;
  const eptp = space ? space.eptp : cpu.eptp;
  const cr0 = space ? space.cr0 : cpu.cr0;
  const cr3 = space ? space.cr3 : cpu.cr3;
  const size = cpu.memSize;
  const read = (addr: number) => (addr >>> 0 < size - 3 ? cpu.m32[addr >>> 2] : 0);
  const need = write ? 2 : access === 'fetch' ? 4 : 1;

  const stage2 = (gpa: number, acc: number): number | undefined => {
    if (!ept) {
      if (gpa >>> 0 >= size) {
        res.fault = { kind: 'outside-memory', errorCode: 0, message: `physical address ${hex(gpa)} is outside memory (#GP)` };
        return undefined;
      }
      return gpa >>> 0;
    }
    const d = (eptp & ~0xfff) + (gpa >>> 22) * 4;
    const e1 = read(d);
    reads.push({ what: 'ept-pde', address: d, value: e1, gpa: gpa >>> 0 });
    let e2 = 0;
    if (e1 & 7) {
      const t = (e1 & ~0xfff) + ((gpa >>> 12) & 0x3ff) * 4;
      e2 = read(t);
      reads.push({ what: 'ept-pte', address: t, value: e2, gpa: gpa >>> 0 });
    }
    const perm = e1 & e2 & 7;
    if ((perm & acc) === 0) {
      const kind = acc === 2 ? 'write' : acc === 4 ? 'fetch' : 'read';
      res.fault = { kind: 'ept-violation', errorCode: acc, message: `EPT violation: ${kind} of guest-physical ${hex(gpa)} not allowed (VM exit 48)` };
      return undefined;
    }
    return ((e2 & ~0xfff) | (gpa & 0xfff)) >>> 0;
  };

  let gpa: number;
  if ((cr0 & Cr0.PG) === 0) {
    gpa = va >>> 0;
  } else {
    const err = (write ? 2 : 0) | (user ? 4 : 0) | (access === 'fetch' ? 16 : 0);
    const pf = (p: number, why: string) => {
      res.fault = { kind: 'page-fault', errorCode: err | p, message: `page fault (#PF, error ${hex(err | p)}): ${why}` };
      return res;
    };
    const pdeG = (cr3 & ~0xfff) + (va >>> 22) * 4;
    const pdeH = stage2(pdeG, 1);
    if (pdeH === undefined) return res;
    const pde = read(pdeH);
    reads.push({ what: 'pde', address: pdeH, value: pde });
    if (!(pde & 1)) return pf(0, `directory entry ${va >>> 22} is not present`);
    const pteG = (pde & ~0xfff) + ((va >>> 12) & 0x3ff) * 4;
    const pteH = stage2(pteG, 1);
    if (pteH === undefined) return res;
    const pte = read(pteH);
    reads.push({ what: 'pte', address: pteH, value: pte });
    if (!(pte & 1)) return pf(0, `table entry ${(va >>> 12) & 0x3ff} is not present`);
    if (user && !(pde & pte & 4)) return pf(1, 'a user access to a supervisor page');
    if (write && !(pde & pte & 2) && (user || cr0 & Cr0.WP)) return pf(1, 'a write to a read-only page');
    gpa = ((pte & ~0xfff) | (va & 0xfff)) >>> 0;
  }
  res.gpa = gpa;
  const pa = stage2(gpa, need);
  if (pa === undefined) return res;
  if (pa >= size) {
    res.fault = { kind: 'outside-memory', errorCode: 0, message: `physical address ${hex(pa)} is outside memory (#GP)` };
    return res;
  }
  res.pa = pa;
  return res;
}

function tlbHas(cpu: Cpu, va: number, tag?: number): boolean {
  const key = (va >>> 12) | (tag === undefined ? cpu.tagKey : tag << 20);
  const t = cpu.tlb;
  return t.key[t.slot(key)] === key;
}

export interface Mapping {
  /** Directory index and table index. */
  dir: number;
  index: number;
  va: number;
  /** The entry as stored (frame and flag bits). */
  entry: number;
  /** Address the entry maps to (guest-physical for a guest table, host-physical for EPT). */
  target: number;
  /** Host-physical address of the entry itself. */
  entryAddress: number;
}

export interface TableView {
  dir: number;
  entry: number;
  entryAddress: number;
  tableAddress: number;
  pages: Mapping[];
}

/**
 * Guest-physical → host-physical in `space`: through its EPT (a walk with guest paging
 * off), identity without one; -1 where the EPT maps nothing. A guest's tables live at
 * guest-physical addresses, which the guest need not map in its own virtual space.
 */
export function guestToHost(cpu: Cpu, space: AddressSpace): (gpa: number) => number {
  if (!space.eptp) return (gpa) => gpa;
  const flat = { ...space, cr0: 0 };
  return (gpa) => explainWalk(cpu, gpa, 'read', 0, flat).pa ?? -1;
}

/**
 * The present entries of a two-level table rooted at host-physical `root`
 * (a page directory, or an EPT directory with `ept`), at most `limit` pages.
 * `toHost` maps the guest-physical addresses of a guest's tables to host-physical.
 */
export function enumerateTables(cpu: Cpu, root: number, ept = false, limit = 65536, toHost: (gpa: number) => number = (a) => a): { tables: TableView[]; truncated: boolean } {
  const tables: TableView[] = [];
  const size = cpu.memSize;
  const present = (e: number) => (ept ? (e & 7) !== 0 : (e & 1) !== 0);
  let count = 0;
  let truncated = false;
  const dirH = toHost(root & ~0xfff);
  if (dirH < 0 || dirH >= size) return { tables, truncated };
  for (let d = 0; d < 1024; d++) {
    const ea = dirH + d * 4;
    const pde = cpu.m32[ea >>> 2];
    if (!present(pde)) continue;
    const tH = toHost(pde & ~0xfff);
    const view: TableView = { dir: d, entry: pde, entryAddress: ea, tableAddress: tH, pages: [] };
    tables.push(view);
    if (tH < 0 || tH >= size) continue;
    for (let i = 0; i < 1024; i++) {
      const pa = tH + i * 4;
      const pte = cpu.m32[pa >>> 2];
      if (!present(pte)) continue;
      if (count++ >= limit) {
        truncated = true;
        return { tables, truncated };
      }
      view.pages.push({ dir: d, index: i, va: ((d << 22) | (i << 12)) >>> 0, entry: pte, target: (pte & ~0xfff) >>> 0, entryAddress: pa });
    }
  }
  return { tables, truncated };
}

export interface TlbEntryView {
  slot: number;
  va: number;
  pa: number;
  tag: number;
  writable: boolean;
  user: boolean;
  dirty: boolean;
  executable: boolean;
}

export function tlbEntries(cpu: Cpu): TlbEntryView[] {
  const t = cpu.tlb;
  const out: TlbEntryView[] = [];
  for (let i = 0; i < t.size; i++) {
    const k = t.key[i];
    if (k === -1) continue;
    const p = t.perm[i];
    out.push({
      slot: i,
      va: ((k & 0xfffff) << 12) >>> 0,
      pa: t.page[i] >>> 0,
      tag: k >>> 20,
      writable: (p & TlbPerm.W) !== 0 && (p & TlbPerm.EW) !== 0,
      user: (p & TlbPerm.U) !== 0,
      dirty: (p & TlbPerm.D) !== 0,
      executable: (p & TlbPerm.X) !== 0,
    });
  }
  return out;
}
