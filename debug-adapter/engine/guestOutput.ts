/**
 * The guest's output on its way to the client: what the machine printed since the last flush,
 * in chunks, how much since the last stop (a flood pauses the run), and the machine's output
 * and transition-log caps, each told once (docs/debugger.md, "Limits"). Logpoint lines take the
 * same way: batched into few events and bounded by the same pause, so a logpoint in a tight
 * loop cannot swamp the client either.
 */
import { consoleDecoder, type Machine } from '../../emulator';
import { t, words } from '../../language/l10n';

/** Guest output (or logpoint text) since the last stop after which the run pauses (a flood would swamp the client). */
export const FLOOD_BYTES = 1 << 20;
const OUTPUT_CHUNK = 64 * 1024;
/** Logpoint lines wait this long at most to share one output event. */
const LOG_BATCH_MS = 50;

export type OutputCategory = 'stdout' | 'console' | 'stderr';

export class GuestOutput {
  private printedHigh = 0;
  /** Bytes of guest output since the run last stopped. */
  sinceStop = 0;
  /** Characters of logpoint text since the run last stopped. */
  logSinceStop = 0;
  /** Logpoint lines not sent yet, and when the first of them was written. */
  private logs: string[] = [];
  private logBytes = 0;
  private logSince = 0;
  /** Limits already told to the user (each once). */
  private readonly toldLimits = new Set<string>();
  /** The guest's bytes as UTF-8 text, a character split between two flushes kept whole. */
  private readonly text = consoleDecoder();

  constructor(
    private readonly machine: Machine,
    private readonly send: (text: string, category: OutputCategory) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A logpoint's line: sent with the next flush that is due (in order with the guest's output). */
  log(line: string): void {
    if (!this.logs.length) this.logSince = this.now();
    this.logs.push(line + '\n');
    this.logBytes += line.length + 1;
    this.logSinceStop += line.length + 1;
  }

  /** A new run: the flood counts start again. */
  restart(): void {
    this.sinceStop = 0;
    this.logSinceStop = 0;
  }

  /**
   * Send what the guest printed since the last flush, and any cap it hit. `running`: the run goes
   * on, so logpoint lines may wait a little to share an event (unless guest output follows them).
   */
  flush(running = false): void {
    this.noteLimits();
    const m = this.machine;
    const len = m.outputLength;
    const guest = len > this.printedHigh;
    if (!running || guest || this.logBytes >= OUTPUT_CHUNK || (this.logs.length && this.now() - this.logSince >= LOG_BATCH_MS)) this.sendLogs();
    // Powered off, nothing more will come: the end of a character cut off is not waited for.
    const last = !m.powered;
    if (!guest) {
      if (last) this.sendText(new Uint8Array(0), true);
      return;
    }
    const bytes = m.output(this.printedHigh);
    this.printedHigh = len;
    this.sinceStop += bytes.length;
    for (let i = 0; i < bytes.length; i += OUTPUT_CHUNK) this.sendText(bytes.subarray(i, i + OUTPUT_CHUNK), last && i + OUTPUT_CHUNK >= bytes.length);
  }

  private sendText(bytes: Uint8Array, end: boolean): void {
    const text = this.text(bytes, end);
    if (text) this.send(text, 'stdout');
  }

  private sendLogs(): void {
    if (!this.logs.length) return;
    const text = this.logs.join('');
    this.logs = [];
    this.logBytes = 0;
    this.send(text, 'console');
  }

  /** Why the run should pause now: the guest's output or the logpoints' has flooded since the last stop. */
  get flooded(): string | undefined {
    const mib = FLOOD_BYTES >> 20;
    if (this.sinceStop > FLOOD_BYTES) return t('paused: the guest wrote more than {0} MiB of output since it last stopped (an output flood?); continue to let it write more', mib);
    if (this.logSinceStop > FLOOD_BYTES) return t('paused: logpoints wrote more than {0} MiB since the machine last stopped (a logpoint in a tight loop?); continue to let them write more, or remove the logpoint', mib);
    return undefined;
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
