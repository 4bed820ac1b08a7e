/**
 * Threads and stack frames across rings and modes. The host CPU is thread 1;
 * each VM's vCPU is thread n+1. Frames come from the machine's shadow
 * call/trap stacks (what `call`, traps, `ret` and `iret` really did), so they
 * are right even when the guest's stack memory is not; each is labelled with
 * its ring or mode and placed at its source line through the physical
 * address of its pc in its own address space.
 */
import { AddressSpace, isa, Machine, ShadowFrame } from '../../emulator';
import { originOf } from '../engine/codeOrigins';
import { TransitionNames, trapWhat } from '../engine/transitionNames';
import { guestSpace, hostSpace, lastVmExit, spaceList, spaceOf } from '../engine/spaces';
import { shadowedGuest } from '../engine/guestPaging';
import { hex8 } from '../engine/expressions';
import type { Translate } from '../engine/memory';
import type { Program } from '../engine/program';
import { t, words } from '../../language/l10n';


export interface ThreadInfo {
  id: number;
  name: string;
}

export interface FrameInfo {
  id: number;
  threadId: number;
  name: string;
  /** Virtual address, in the frame's own address space. */
  pc: number;
  /** Physical address of pc, or -1. */
  pa: number;
  file?: string;
  line?: number;
  /** A separator such as "── system call from ring 3 ──". */
  label?: boolean;
  /** The frame's thread is the one whose code runs now (its registers are the CPU's). */
  live: boolean;
  /**
   * Whose address space the frame's code runs in: 0 the host, n VM n. The guest's frame below a VM
   * exit the hypervisor handles is in the host's thread but VM n's space: its registers are not
   * the CPU's (the exit saved its pc, sp and status in the VMCS; the hypervisor keeps the others).
   */
  space?: number;
  /** Physical address of a linear one in the frame's own address space (its VM's, its process's), or -1; none for a separator. */
  tr?: Translate;
  /**
   * What an outer frame saved, as it will be again when the frame is returned to: sp (a call
   * pushed the return address below it; a trap frame holds it), and status for a trap (its frame
   * holds it: iret restores both). The other registers are the CPU's: nothing saved them.
   */
  saved?: { sp: number; status?: number };
}

/** The frame of the instruction the thread stops at (the first of its stack); the others are the calls and traps below it. */
export const isTopFrame = (f: FrameInfo) => f.id % 100_000 === 0;

/** Whether the frame's registers are the CPU's: its code runs in the space the CPU is in (a VM's frame below the exit the hypervisor handles is not). */
export const runsNow = (m: Machine, f: FrameInfo) => f.live && (f.space ?? vmOfThread(f.threadId)) === m.currentVm;

export const threadOfVm = (vm: number) => vm + 1;
export const vmOfThread = (thread: number) => thread - 1;

export function threads(m: Machine): ThreadInfo[] {
  return spaceList(m).map((s) => ({ id: threadOfVm(s.id), name: s.name }));
}

export class FrameBuilder {
  constructor(private readonly m: Machine, private readonly program: Program) {}

  private vmx(): boolean {
    return this.m.currentVmcs >= 0 || this.m.vms().length > 0;
  }

  /** Where the running thread's first frame is in the source (what frames() puts first), without its stack. */
  topSource(): { file: string; line: number } | undefined {
    const m = this.m;
    const out: FrameInfo[] = [];
    this.push(out, threadOfVm(m.currentVm), m.pc, m.cpl, m.currentVm, (va) => m.translate(va | 0), true);
    const f = out[0];
    return f?.file !== undefined && f.line !== undefined ? { file: f.file, line: f.line } : undefined;
  }

  frames(threadId: number): FrameInfo[] {
    const m = this.m;
    const vm = vmOfThread(threadId);
    const out: FrameInfo[] = [];
    const tr = (va: number) => m.translate(va | 0);
    if (vm === m.currentVm) {
      this.push(out, threadId, m.pc, m.cpl, vm, tr, true);
      const whole = this.shadow(out, threadId, m.callFrames(), vm, tr, true, m.register(15), spaceOf(m, vm).space);
      // The exit the hypervisor handles, below its frames; not once frames of code it left are found (it has moved on).
      const exit = vm === 0 && whole ? lastVmExit(m) : undefined;
      if (exit && exit.vm) {
        const g = guestSpace(m, exit.vm);
        if (g) {
          out.push(this.label(out, threadId, `── ${t('VM exit from VM {0}: {1}', exit.vm, isa.exitReasonName(exit.reason))} ──`, true));
          this.push(out, threadId, g.pc, g.cpl, exit.vm, this.inVm(exit.vm, g.cpl, g.space), true);
        }
      }
      return out;
    }
    if (vm > 0) {
      const g = guestSpace(m, vm);
      if (!g) return out;
      const inGuest = this.inVm(vm, g.cpl, g.space);
      this.push(out, threadId, g.pc, g.cpl, vm, inGuest, false, ` (${t('not running')})`);
      this.shadow(out, threadId, m.callFramesOf(vm), vm, inGuest, false, g.sp, g.space);
      return out;
    }
    // The host while a guest runs: it resumes at host_pc on the next VM exit.
    const host = hostSpace(m);
    const inHost = (va: number) => this.walk(va, 0, host.space);
    this.push(out, threadId, host.pc, 0, 0, inHost, false, ` (${t('resumes here on VM exit')})`);
    this.shadow(out, threadId, m.callFramesOf(0), 0, inHost, false, host.sp, host.space);
    return out;
  }

  private walk(va: number, cpl: number, space: AddressSpace): number {
    return this.m.explainWalk(va, 'fetch', cpl, space).pa ?? -1;
  }

  /** A VM's code: through its address space as the CPU walks it, else (under shadow paging, while the hypervisor rebuilds the shadow) through the guest's own tables. */
  private inVm(vm: number, cpl: number, space: AddressSpace): Translate {
    return (va) => {
      const pa = this.walk(va, cpl, space);
      if (pa >= 0 || space.eptp) return pa;
      const g = shadowedGuest(this.m, this.program.guestPaging, vm);
      return g ? this.m.lookupTables(g.cr3, va, g.toHost) : -1;
    };
  }

  private label(out: FrameInfo[], threadId: number, name: string, live: boolean): FrameInfo {
    return { id: threadId * 100_000 + out.length, threadId, name, pc: 0, pa: -1, label: true, live };
  }

  private push(out: FrameInfo[], threadId: number, pc: number, cpl: number, vm: number, tr: Translate, live: boolean, note = '', saved?: FrameInfo['saved']): void {
    const pa = tr(pc);
    const { who, tag } = words.runner(vm, cpl, this.vmx());
    // Code a translator generated is shown where it came from (codeOrigins.ts): the guest's function and line.
    const origin = originOf(this.m, this.program.codeOrigins, pc);
    const at = origin === undefined ? pa : tr(origin);
    const fn = this.program.functionAt(at) ?? hex8(origin ?? pc);
    const loc = this.program.location(at);
    const name = origin === undefined ? fn : t('translation of {0} ({1})', fn, hex8(origin));
    out.push({ id: threadId * 100_000 + out.length, threadId, name: `${who}: ${name}${tag ? ' ' + tag : ''}${note}`, pc: pc >>> 0, pa, file: loc?.file, line: loc?.line, live, space: vm, saved, tr });
  }

  /**
   * The shadow frames (newest first) below code whose sp is `sp`, as far as the stack still holds
   * them (ongoing); true if all of them. `tr` translates in `space`, the stack's address space; a
   * frame pushed under another page directory (execve's system call, carried into the new program's
   * space) is translated through that one's tables, where its code was.
   */
  private shadow(out: FrameInfo[], threadId: number, frames: ShadowFrame[], vm: number, tr: Translate, live: boolean, sp: number, space: AddressSpace): boolean {
    const held = ongoing(frames, sp, this.word(tr));
    const names = TransitionNames.read(this.m, this.program.transitionNames);
    for (const f of held) {
      if (f.kind === 'trap') {
        out.push(this.label(out, threadId, `── ${t('{0} from {1}', trapWhat(names, f.target), words.where(vm, f.fromCpl))} ──`, live));
      }
      // A handler that changed where its iret returns (execve's new program, an emulated instruction skipped): the frame is where it will return.
      const back = f.kind === 'trap' ? this.word(tr)(f.sp + 8) : undefined;
      if (back !== undefined && back !== f.returnPc) {
        this.push(out, threadId, back, f.fromCpl, vm, tr, live, ` (${t('iret returns here: the handler changed the return address')})`, this.saved(f, tr));
        continue;
      }
      const own = f.cr3 === undefined ? tr : (va: number) => this.walk(va, 0, { ...space, cr3: f.cr3! });
      const at = this.callSite(f, own);
      const gone = own !== tr && own(at) !== tr(at) ? ` (${t('in the address space of page directory {0}, no longer loaded', hex8(f.cr3!))})` : '';
      this.push(out, threadId, at, f.fromCpl, vm, own, live, gone, this.saved(f, tr));
    }
    return held.length === frames.length;
  }

  /** A reader of words at linear addresses through `tr` (undefined where nothing is mapped). */
  private word(tr: Translate): (va: number) => number | undefined {
    return (va) => {
      const pa = tr(va);
      return pa < 0 ? undefined : this.m.readWordPhysical(pa) >>> 0;
    };
  }

  /** sp and status of the code below frame `f`: the trap frame's words [sp + 12] status, [sp + 16] sp; above a call's return address. */
  private saved(f: ShadowFrame, tr: Translate): FrameInfo['saved'] {
    if (f.kind === 'call') return { sp: (f.sp + 4) | 0 };
    const word = this.word(tr);
    const sp = word(f.sp + 16);
    return sp === undefined ? undefined : { sp: sp | 0, status: word(f.sp + 12)! | 0 };
  }

  /** The instruction that made the frame: the call, or the trapping instruction (faults return to it, `int` after it). */
  private callSite(f: ShadowFrame, tr: Translate): number {
    const m = this.m;
    const decodeAt = (va: number) => {
      const pa = tr(va);
      return pa < 0 ? undefined : isa.decode(m.readWordPhysical(pa), m.readWordPhysical(pa + 4));
    };
    if (f.kind === 'call') {
      // A call is 4 bytes (call reg) or 8 (call label): where the source map knows the code, it says which.
      const known = (va: number) => this.program.instructionAt(tr(va));
      const one = decodeAt(f.returnPc - 4);
      if (known(f.returnPc - 4) && one?.def.mnemonic === 'call' && one.length === 4) return f.returnPc - 4;
      const two = decodeAt(f.returnPc - 8);
      return two && two.def.mnemonic === 'call' && two.length === 8 ? f.returnPc - 8 : f.returnPc - 4;
    }
    const prev = decodeAt(f.returnPc - 4);
    // A software interrupt through this frame's gate pushed the pc after it.
    const gate = prev?.def.gate === 'operand' ? prev.operands[0]?.imm : prev?.def.gate;
    return gate !== undefined && gate === f.target ? f.returnPc - 4 : f.returnPc;
  }
}

/**
 * The frames (newest first) that are still going on below code whose sp is `sp`: each lies at or
 * above the sp of what it called or interrupted (a trap frame gives the interrupted code's sp).
 * Code can leave frames without returning through them — a monitor that ends a guest's phase and
 * resets its stack — and the shadow stack still has them: from the first frame the stack has
 * already been popped past, those calls are over, and nothing below it is shown.
 */
export function ongoing(frames: readonly ShadowFrame[], sp: number, word: (va: number) => number | undefined): ShadowFrame[] {
  const out: ShadowFrame[] = [];
  let below = sp >>> 0;
  for (const f of frames) {
    if (f.sp >>> 0 < below) break;
    const next = f.kind === 'call' ? (f.sp + 4) >>> 0 : word(f.sp + 16);
    if (next === undefined) break;
    below = next;
    out.push(f);
  }
  return out;
}
