/**
 * THE page walk (spec sections 6 and 7): linear → guest-physical through the two-level tables,
 * and guest-physical → host-physical through EPT for every address on the way (the guest's own
 * table reads included). It only reads memory: the MMU (mmu.ts) adds the TLB fill, the A/D
 * write-back, the counts and the fault; the debugger's views (peek, the walk explanation, the
 * stack walk in another address space) call it as it is. One walker, so what a view explains
 * is what the machine does.
 *
 * It writes its result into a caller's `WalkResult` and allocates nothing: it runs on every
 * TLB miss.
 */
import { ACC_ANY, ACC_R, ACC_W, ACC_X } from './access';
import { Cr0, EPTE, PTE } from './isa/registers';
import { PfError } from './isa/abi';

/** Why a walk failed (0: it did not). */
export const WalkFail = {
  NONE: 0,
  /** #PF: `error` is the page-fault error code. */
  PAGE_FAULT: 1,
  /** VM exit 48: `error` is the exit qualification, `gpa` the guest-physical address refused. */
  EPT_VIOLATION: 2,
  /** The page is outside memory (#GP without EPT). */
  OUTSIDE_MEMORY: 3,
} as const;

/** The step a walk stopped at, for the explanation. */
export const WalkStep = { DIRECTORY: 1, TABLE: 2, USER: 3, WRITE: 4, PAGE: 5 } as const;

export interface WalkRead {
  /** What was read: the guest's directory/table entry, or an EPT entry. */
  what: 'pde' | 'pte' | 'ept-pde' | 'ept-pte';
  /** Host-physical address read. */
  address: number;
  value: number;
  /** For EPT reads: the guest-physical address being translated. */
  gpa?: number;
}

export interface WalkResult {
  fail: number;
  /** The #PF error code, or the EPT violation's exit qualification. */
  error: number;
  step: number;
  /** Guest-physical address of the page (or, after an EPT violation, of what EPT refused). */
  gpa: number;
  /** Host-physical address, when it translates. */
  hpa: number;
  /** The guest's entries and where they are (host-physical); -1 when paging is off. */
  pde: number;
  pdeHpa: number;
  pte: number;
  pteHpa: number;
  /** What EPT allows for the page (R W X), 7 without EPT. */
  eptPerm: number;
  /** Memory reads made. */
  reads: number;
}

export function newWalkResult(): WalkResult {
  return { fail: 0, error: 0, step: 0, gpa: 0, hpa: 0, pde: 0, pdeHpa: -1, pte: 0, pteHpa: -1, eptPerm: 7, reads: 0 };
}

/** Guest-physical → host-physical through the EPT rooted at `eptp`; -1 after a violation (recorded in `r`). */
function stage2(m32: Int32Array, size: number, eptp: number, gpa: number, acc: number, r: WalkResult, trace: WalkRead[] | undefined): number {
  const dirAddr = (eptp & ~0xfff) + (gpa >>> 22) * 4;
  let e1 = 0;
  let e2 = 0;
  if (dirAddr < size) {
    e1 = m32[dirAddr >>> 2];
    r.reads++;
    if (trace) trace.push({ what: 'ept-pde', address: dirAddr, value: e1, gpa: gpa >>> 0 });
    const tAddr = (e1 & ~0xfff) + ((gpa >>> 12) & 0x3ff) * 4;
    if (e1 & 7 && tAddr >>> 0 < size) {
      e2 = m32[tAddr >>> 2];
      r.reads++;
      if (trace) trace.push({ what: 'ept-pte', address: tAddr, value: e2, gpa: gpa >>> 0 });
    }
  }
  const perm = e1 & e2 & 7;
  const need = acc === ACC_ANY ? 7 : acc === ACC_W ? EPTE.W : acc === ACC_X ? EPTE.X : EPTE.R;
  const hpa = ((e2 & ~0xfff) | (gpa & 0xfff)) >>> 0;
  if ((perm & need) === 0 || hpa >= size) {
    r.fail = WalkFail.EPT_VIOLATION;
    // Exit qualification (SDM 27.2.1, simplified): bit 0 read, 1 write, 2 fetch; bits 3-5 what EPT allows.
    r.error = (acc === ACC_W ? 2 : acc === ACC_X ? 4 : 1) | (perm << 3);
    r.gpa = gpa >>> 0;
    return -1;
  }
  r.eptPerm = perm;
  return hpa;
}

/** The guest-physical address `gpa` on the host: through EPT, or itself (-1 outside memory). */
function toHost(m32: Int32Array, size: number, eptp: number, gpa: number, acc: number, r: WalkResult, trace: WalkRead[] | undefined): number {
  if (eptp === 0) return gpa >>> 0 < size ? gpa >>> 0 : -1;
  return stage2(m32, size, eptp, gpa, acc, r, trace);
}

function pageFault(r: WalkResult, error: number, step: number): false {
  r.fail = WalkFail.PAGE_FAULT;
  r.error = error;
  r.step = step;
  return false;
}

/**
 * The walk's common case, without EPT: the directory and table entries inside memory, both
 * present and both allowing the access — `need` holds the PTE bits it needs in both (P; U for a
 * user access; W for a write that is checked: by a user, or with cr0.WP) — and the page inside
 * memory. Returns the host-physical address with the entries in `r` (pde, pdeHpa, pte, pteHpa);
 * -1 for anything else, which translate() settles step by step (the fault and its step). The MMU
 * tries it first on a TLB miss; test/unit/walkCases.test.ts holds the two to the same outcomes.
 */
export function plainWalk(m32: Int32Array, size: number, cr3: number, va: number, need: number, r: WalkResult): number {
  const pdeHpa = (cr3 & ~0xfff) + (va >>> 22) * 4;
  if (pdeHpa >>> 0 >= size) return -1;
  const pde = m32[pdeHpa >>> 2];
  const pteHpa = (pde & ~0xfff) + ((va >>> 12) & 0x3ff) * 4;
  if ((pde & need) !== need || pteHpa >>> 0 >= size) return -1;
  const pte = m32[pteHpa >>> 2];
  const hpa = ((pte & ~0xfff) | (va & 0xfff)) >>> 0;
  if ((pte & need) !== need || hpa >= size) return -1;
  r.pde = pde;
  r.pdeHpa = pdeHpa;
  r.pte = pte;
  r.pteHpa = pteHpa;
  return hpa;
}

/** The PTE bits an access needs in both entries to be allowed without a question (plainWalk's `need`). */
export function plainNeed(cr0: number, acc: number, user: boolean): number {
  return PTE.P | (user ? PTE.U : 0) | (acc === ACC_W && (user || (cr0 & Cr0.WP) !== 0) ? PTE.W : 0);
}

/**
 * Translate `va` for an access `acc` (ACC_R/W/X, or ACC_ANY: only whether it is mapped, no
 * permission checked) at the privilege `user`, in the address space (cr0, cr3, eptp; eptp 0 =
 * no EPT). Returns whether it translates; `r` says how (and `trace`, when given, gets each read).
 */
export function translate(m32: Int32Array, size: number, cr0: number, cr3: number, eptp: number, va: number, acc: number, user: boolean, r: WalkResult, trace?: WalkRead[]): boolean {
  r.fail = WalkFail.NONE;
  r.step = 0;
  r.reads = 0;
  r.eptPerm = 7;
  r.pdeHpa = -1;
  r.pteHpa = -1;
  const check = acc !== ACC_ANY;
  const write = acc === ACC_W;
  let gpa: number;
  if ((cr0 & Cr0.PG) === 0) {
    gpa = va >>> 0; // paging off (inside an EPT guest: linear = guest-physical)
  } else {
    const err = (write ? PfError.W : 0) | (user ? PfError.U : 0) | (acc === ACC_X ? PfError.I : 0);
    // The directory and table entries are read: EPT must allow reading them.
    const tableAcc = check ? ACC_R : ACC_ANY;
    const pdeHpa = toHost(m32, size, eptp, (cr3 & ~0xfff) + (va >>> 22) * 4, tableAcc, r, trace);
    if (r.fail) return false;
    if (pdeHpa < 0) return pageFault(r, err, WalkStep.DIRECTORY);
    const pde = m32[pdeHpa >>> 2];
    r.reads++;
    r.pde = pde;
    r.pdeHpa = pdeHpa;
    if (trace) trace.push({ what: 'pde', address: pdeHpa, value: pde });
    if ((pde & PTE.P) === 0) return pageFault(r, err, WalkStep.DIRECTORY);
    const pteHpa = toHost(m32, size, eptp, (pde & ~0xfff) + ((va >>> 12) & 0x3ff) * 4, tableAcc, r, trace);
    if (r.fail) return false;
    if (pteHpa < 0) return pageFault(r, err, WalkStep.TABLE);
    const pte = m32[pteHpa >>> 2];
    r.reads++;
    r.pte = pte;
    r.pteHpa = pteHpa;
    if (trace) trace.push({ what: 'pte', address: pteHpa, value: pte });
    if ((pte & PTE.P) === 0) return pageFault(r, err, WalkStep.TABLE);
    if (check && user && (pde & pte & PTE.U) === 0) return pageFault(r, err | PfError.P, WalkStep.USER);
    if (check && write && (pde & pte & PTE.W) === 0 && (user || (cr0 & Cr0.WP) !== 0)) return pageFault(r, err | PfError.P, WalkStep.WRITE);
    gpa = ((pte & ~0xfff) | (va & 0xfff)) >>> 0;
  }
  r.gpa = gpa;
  const hpa = toHost(m32, size, eptp, gpa, acc, r, trace);
  if (r.fail) return false;
  if (hpa < 0) {
    r.fail = WalkFail.OUTSIDE_MEMORY;
    r.step = WalkStep.PAGE;
    return false;
  }
  r.hpa = hpa;
  return true;
}
