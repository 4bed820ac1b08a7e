/**
 * The console device (ports 0x10 out, 0x11 in). Input bytes carry the step
 * count at which they arrived, so a replay after a restore sees each byte at
 * the same moment: the machine stays deterministic even with typed input.
 */

export class Console {
  private out = new Uint8Array(4096);
  /** Bytes written by the guest (kept up to `outputCap`, counted beyond). */
  outLen = 0;
  outTotal = 0;
  readonly outputCap: number;

  private input: number[] = [];
  private arrival: number[] = [];
  /** Next input byte to read. */
  inPos = 0;
  /** Input bytes already announced with interrupt 33. */
  sigPos = 0;

  constructor(outputCap = 64 * 1024 * 1024) {
    this.outputCap = outputCap;
  }

  write(byte: number): void {
    this.outTotal++;
    if (this.outLen >= this.outputCap) return;
    if (this.outLen === this.out.length) {
      const bigger = new Uint8Array(Math.min(this.out.length * 2, this.outputCap));
      bigger.set(this.out);
      this.out = bigger;
    }
    this.out[this.outLen++] = byte;
  }

  /** Output bytes from `from` (a reader's position) to the end. */
  output(from = 0): Uint8Array {
    return this.out.subarray(Math.min(from, this.outLen), this.outLen);
  }

  outputText(from = 0): string {
    return new TextDecoder().decode(this.output(from));
  }

  /** Queue input that becomes visible at step `atStep`. */
  feed(bytes: Uint8Array, atStep: number): void {
    for (const b of bytes) {
      this.input.push(b);
      this.arrival.push(atStep);
    }
  }

  /** Read the next byte visible at `step`, or -1. */
  read(step: number): number {
    if (this.inPos < this.input.length && this.arrival[this.inPos] <= step) return this.input[this.inPos++];
    return -1;
  }

  /** Whether unread input is visible at `step`. */
  hasInput(step: number): boolean {
    return this.inPos < this.input.length && this.arrival[this.inPos] <= step;
  }

  /** Step at which the next not-yet-visible byte arrives, or Infinity. */
  nextArrival(step: number): number {
    if (this.inPos < this.input.length && this.arrival[this.inPos] > step) return this.arrival[this.inPos];
    return Infinity;
  }

  /** Whether input arrived (by `step`) that was not yet announced; marks it announced. */
  takeArrivals(step: number): boolean {
    const start = this.sigPos;
    while (this.sigPos < this.arrival.length && this.arrival[this.sigPos] <= step) this.sigPos++;
    return this.sigPos !== start;
  }

  /** Step at which not-yet-announced input arrives, or Infinity. */
  nextUnannounced(): number {
    return this.sigPos < this.arrival.length ? this.arrival[this.sigPos] : Infinity;
  }

  save(): ConsoleState {
    return { outLen: this.outLen, outTotal: this.outTotal, inPos: this.inPos, sigPos: this.sigPos };
  }

  load(s: ConsoleState): void {
    this.outLen = s.outLen;
    this.outTotal = s.outTotal;
    this.inPos = s.inPos;
    this.sigPos = s.sigPos;
  }
}

export interface ConsoleState {
  outLen: number;
  outTotal: number;
  inPos: number;
  sigPos: number;
}

/**
 * The console's bytes as text, piece by piece, for a reader that shows them as they come (the
 * Debug Console; the CLI writes the bytes themselves): UTF-8, as the assembler stores strings, with a character split across
 * two pieces kept until its end arrives; bytes that are not UTF-8 show as U+FFFD.
 */
export function consoleDecoder(): (bytes: Uint8Array, end?: boolean) => string {
  const d = new TextDecoder();
  // `end`: no more bytes will come (the machine is off): a character cut off shows as U+FFFD, not lost.
  return (bytes, end = false) => d.decode(bytes, { stream: !end });
}
