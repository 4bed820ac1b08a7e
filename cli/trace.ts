/** --trace: one line per step (the step and cycle counts after it), disassembled, with the registers it changed. */
import type { Machine } from '../emulator';
import { isa } from '../emulator';
import type { AssembleResult } from '../language/assembler';
import { hex8, labelNamer } from './report';

export class Tracer {
  private regs = new Int32Array(16);
  private status = 0;
  private pc = 0;
  private text = '';
  private events = 0;
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
    const note = m.eventCount > this.events ? `  ⇒ ${m.event(m.eventCount - 1).cause}` : '';
    this.out(`${String(m.icount).padStart(8)} ${String(m.cycles).padStart(10)}c  ${hex8(this.pc)}${label ? ` <${label}>` : ''}  ${this.text.padEnd(28)} ${changes.join(' ')}${note}\n`);
  }
}
