/**
 * Read-only views of the MMU for the tools: a translation walk explained step
 * by step (every memory read, with EPT's nested reads), the mappings of an
 * address space, and the TLB. Nothing here changes the machine.
 */
import type { Cpu } from './cpu';
import { ACC_R, ACC_W, ACC_X } from './access';
import { newWalkResult, translate, WalkFail, WalkStep, type WalkRead } from './translate';
import { TlbPerm } from './tlb';
import { ENGLISH, type WalkFault } from './isa/vocabulary';

export type AccessKind = 'read' | 'write' | 'fetch';

export type { WalkRead };

export interface WalkExplanation {
  va: number;
  access: AccessKind;
  cpl: number;
  reads: WalkRead[];
  /** Guest-physical address (equals `pa` without EPT). */
  gpa?: number;
  pa?: number;
  fault?: WalkFault & { message: string };
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

const ACCESS: Record<AccessKind, number> = { read: ACC_R, write: ACC_W, fetch: ACC_X };

/**
 * Explain how `va` translates now: the machine's own walk (translate.ts), with every memory
 * read it makes, but without setting A/D bits or counting. `space` walks another address
 * space's tables instead of the running one's (the debugger's view of a VM that is not running).
 */
export function explainWalk(cpu: Cpu, va: number, access: AccessKind = 'read', cpl = cpu.cpl, space?: AddressSpace): WalkExplanation {
  const reads: WalkRead[] = [];
  const res: WalkExplanation = { va: va >>> 0, access, cpl, reads, tlbHit: tlbHas(cpu, va, space?.tag) };
  const eptp = space ? space.eptp : cpu.nonRoot ? cpu.eptp : 0;
  const r = newWalkResult();
  if (translate(cpu.m32, cpu.memSize, space ? space.cr0 : cpu.cr0, space ? space.cr3 : cpu.cr3, eptp, va, ACCESS[access], cpl === 3, r, reads)) {
    res.gpa = r.gpa;
    res.pa = r.hpa;
    return res;
  }
  const facts: WalkFault =
    r.fail === WalkFail.PAGE_FAULT
      ? { kind: 'page-fault', errorCode: r.error, va: va >>> 0, why: PAGE_FAULT_WHY[r.step] ?? 'write' }
      : r.fail === WalkFail.EPT_VIOLATION
        ? { kind: 'ept-violation', errorCode: r.error & 7, gpa: r.gpa }
        : { kind: 'outside-memory', errorCode: 0, gpa: r.gpa };
  if (facts.kind === 'outside-memory') res.gpa = r.gpa;
  // `message` in English for the tools without a language; a student's view words `facts` (vocabulary.walkFault).
  res.fault = { ...facts, message: ENGLISH.walkFault(facts) };
  return res;
}

const PAGE_FAULT_WHY: Record<number, 'directory' | 'table' | 'user' | 'write'> = { [WalkStep.DIRECTORY]: 'directory', [WalkStep.TABLE]: 'table', [WalkStep.USER]: 'user', [WalkStep.WRITE]: 'write' };

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

/**
 * `va` through the two-level table at `root` whose addresses `toHost` places (a guest's own
 * tables under shadow paging, which the CPU does not walk): host-physical, or -1 where an entry
 * on the way is not present. Present entries only, as enumerateTables reads them: no permission.
 */
export function lookupTables(cpu: Cpu, root: number, va: number, toHost: (gpa: number) => number): number {
  const size = cpu.memSize;
  const entry = (gpa: number) => {
    const h = toHost(gpa);
    return h < 0 || h + 4 > size ? 0 : cpu.m32[h >>> 2];
  };
  const pde = entry((root & ~0xfff) + (va >>> 22) * 4);
  if ((pde & 1) === 0) return -1;
  const pte = entry((pde & ~0xfff) + ((va >>> 12) & 0x3ff) * 4);
  if ((pte & 1) === 0) return -1;
  return toHost(((pte & ~0xfff) | (va & 0xfff)) >>> 0);
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
