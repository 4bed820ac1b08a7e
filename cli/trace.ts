/** --trace: one line per step (the step and cycle counts after it), disassembled, with the registers it changed. */
import type { Machine, TransitionEvent } from '../emulator';
import { EventKind, isa } from '../emulator';
import type { AssembleResult } from '../language/assembler';
import { hex8, labelNamer } from './report';

export class Tracer {
  private regs = new Int32Array(16);
  private status = 0;
  private pc = 0;
  private text = '';
  private events = 0;
  private halted = false;
  private readonly labelAt: (va: number) => string | undefined;

  constructor(private readonly m: Machine, program: AssembleResult, private readonly out: (s: string) => void) {
    this.labelAt = labelNamer(program.symbols, (va) => m.translate(va));
  }

  before(): void {
    const m = this.m;
    this.pc = m.pc;
    for (let i = 0; i < 16; i++) this.regs[i] = m.register(i);
    this.status = m.sysReg(0);
    this.events = m.eventCount;
    this.halted = m.halted;
    const pa = m.translate(this.pc);
    if (pa < 0) {
      this.text = '(pc not mapped)';
      return;
    }
    const w0 = m.readWordPhysical(pa);
    const w1 = m.readWordPhysical(m.translate((this.pc + 4) | 0));
    const d = isa.decode(w0, w1);
    this.text = d ? isa.formatInstruction(d, (a) => this.labelAt(a)) : `.word ${hex8(w0)}`;
  }

  after(): void {
    const m = this.m;
    const changes: string[] = [];
    for (let i = 0; i < 16; i++) {
      const v = m.register(i);
      if (v !== this.regs[i]) changes.push(`${isa.registerName(i)}=${hex8(v)}`);
    }
    const st = m.sysReg(0);
    if (st !== this.status) changes.push(`status=${hex8(st)}`);
    const label = this.labelAt(this.pc);
    const ev = m.eventCount > this.events ? m.event(m.eventCount - 1) : undefined;
    const note = ev ? `  ⇒ ${ev.cause}` : '';
    const what = this.notAnInstruction(ev) ?? this.text;
    this.out(`${String(m.icount).padStart(8)} ${String(m.cycles).padStart(10)}c  ${hex8(this.pc)}${label ? ` <${label}>` : ''}  ${what.padEnd(28)} ${changes.join(' ')}${note}\n`);
  }

  /**
   * A step that ran no instruction (docs/isa.md, Steps), in words: the instruction at pc did not
   * run, so it is not shown as if it had. `ev`: the transition the step made, if any.
   */
  private notAnInstruction(ev: TransitionEvent | undefined): string | undefined {
    if (ev?.kind === EventKind.Interrupt) return `(interrupt ${ev.vector} delivered)`;
    if (ev?.kind === EventKind.VmExit && !this.m.nonRoot && (ev.exitReason === isa.ExitReason.EXTERNAL_INTERRUPT || ev.exitReason === isa.ExitReason.PREEMPTION_TIMER)) {
      return `(VM exit: ${isa.exitReasonName(ev.exitReason)})`;
    }
    if (this.m.droppedLastStep) return '(interrupt dropped: no gate)';
    const faulted = this.m.faultedDeliveryLastStep;
    if (faulted >= 0) return `(interrupt ${faulted}: its delivery faulted)`;
    if (this.halted && !ev) return '(idle: halted)';
    return undefined;
  }
}
