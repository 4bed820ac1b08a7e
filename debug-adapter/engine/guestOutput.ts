/**
 * The guest's output on its way to the client: what the machine printed since the last flush,
 * in chunks, how much since the last stop (a flood pauses the run), and the machine's output
 * and transition-log caps, each told once (docs/debugger.md, "Limits").
 */
import { consoleDecoder, type Machine } from '../../emulator';
import { t, words } from '../../language/l10n';

/** Guest output since the last stop after which the run pauses (a flood would swamp the client). */
export const FLOOD_BYTES = 1 << 20;
const OUTPUT_CHUNK = 64 * 1024;

export type OutputCategory = 'stdout' | 'console' | 'stderr';

export class GuestOutput {
  private printedHigh = 0;
  /** Bytes of guest output since the run last stopped. */
  sinceStop = 0;
  /** Limits already told to the user (each once). */
  private readonly toldLimits = new Set<string>();
  /** The guest's bytes as UTF-8 text, a character split between two flushes kept whole. */
  private readonly text = consoleDecoder();

  constructor(
    private readonly machine: Machine,
    private readonly send: (text: string, category: OutputCategory) => void,
  ) {}

  /** Send what the guest printed since the last flush, and any cap it hit. */
  flush(): void {
    this.noteLimits();
    const m = this.machine;
    const len = m.outputLength;
    if (len <= this.printedHigh) return;
    const bytes = m.output(this.printedHigh);
    this.printedHigh = len;
    this.sinceStop += bytes.length;
    for (let i = 0; i < bytes.length; i += OUTPUT_CHUNK) {
      const text = this.text(bytes.subarray(i, i + OUTPUT_CHUNK));
      if (text) this.send(text, 'stdout');
    }
  }

  /** The output has flooded since the last stop: the run pauses. */
  get flooded(): boolean {
    return this.sinceStop > FLOOD_BYTES;
  }

  /** The output or transition log hit its cap: say so once in the Debug Console. */
  private noteLimits(): void {
    // The vocabulary words them as the CLI does, in the session's language.
    for (const { key, text } of words.limits(this.machine.limits)) {
      if (this.toldLimits.has(key)) continue;
      this.toldLimits.add(key);
      this.send(`${t('note: {0}', text)}\n`, 'console');
    }
  }
}
