/**
 * A seeded DAP request-sequence fuzzer for the stand-alone adapter
 * (dist/debugAdapter.js). Each sequence starts an adapter, launches one of the
 * project's programs, sends random requests (well-formed ones that move the
 * machine, and ill-typed, out-of-range, missing or malformed ones), then
 * disconnects. A sequence fails when the adapter exits before the disconnect,
 * a request gets no answer within the timeout, or an answer (or an output
 * event) carries internal error text instead of a message for a person.
 *
 * The same seed gives the same sequences: a failure is reproduced with
 * `npm run fuzz:dap -- --seed S --sequences 1 --first N`.
 * Used by test/dap/robust.test.ts (a few hundred sequences) and scripts/fuzz-dap.ts (long runs).
 */
import { spawn } from 'child_process';
import { EventEmitter } from 'events';
import { PassThrough } from 'stream';
import { RingsideSession } from '../debug-adapter/dap/session';
import { nodeAdapterHost } from '../debug-adapter/host/nodeHost';
import * as path from 'path';

// Run from out/scripts (the tests) or bundled into dist/ (npm run fuzz:dap).
const ROOT = path.basename(path.dirname(__dirname)) === 'out' ? path.resolve(__dirname, '../..') : path.resolve(__dirname, '..');

/** An adapter to talk to: a child process, or a session in this process (faster to start; see test/dap/robust.test.ts). */
export interface Endpoint extends EventEmitter {
  stdin: NodeJS.WritableStream | null;
  stdout: NodeJS.ReadableStream | null;
  stderr: NodeJS.ReadableStream | null;
  kill(): void;
}

export interface FuzzOptions {
  /** The adapter's script (started with node), or a function that makes an endpoint. */
  adapter: string | (() => Endpoint);
  seed: number;
  sequences: number;
  /** Index of the first sequence (each sequence's generator is seeded by seed and index). */
  first?: number;
  requestsPerSequence?: number;
  /** A request without an answer after this long is a failure. */
  timeoutMs?: number;
  /** Sequences run at once (separate adapters). */
  parallel?: number;
  programs?: string[];
  /** Called after every 1,000 sequences with the summary so far (long runs). */
  progress?: (s: FuzzSummary) => void;
}

export interface FuzzFailure {
  sequence: number;
  what: string;
  /** The requests sent so far in that sequence (the last is the culprit). */
  trail: string[];
}

export interface FuzzSummary {
  seed: number;
  sequences: number;
  requests: number;
  failures: FuzzFailure[];
  exits: number;
  timeouts: number;
  internalErrors: number;
  ms: number;
  /** The slowest answer. */
  slowest?: { ms: number; request: string };
}

/** Text that only a bug produces: JavaScript's own error messages, never the adapter's. */
export const INTERNAL =
  /TypeError|RangeError|ReferenceError|SyntaxError|is not iterable|is not a function|Cannot read propert|Cannot set propert|Maximum call stack|Invalid array length|Invalid typed array|invalid size|\bNaN\b|\[object Object\]|of undefined|of null|internal error/;

export function summaryLine(s: FuzzSummary): string {
  return `dap fuzz: seed ${s.seed}, ${s.sequences} sequences, ${s.requests} requests, ${s.failures.length} failed (adapter exits ${s.exits}, unanswered ${s.timeouts}, internal errors ${s.internalErrors}) in ${(s.ms / 1000).toFixed(1)} s; slowest answer ${s.slowest ? `${Math.round(s.slowest.ms)} ms` : '-'}`;
}

/** mulberry32: small, fast, and the same everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** Values that break naive handlers. */
const NASTY: unknown[] = [
  null, undefined, true, 0, -1, 1, 5, -100_000_000, 2 ** 31, 2 ** 32, -(2 ** 53), 2 ** 53, 1e300, 0.5, 'abc', '', '0x0', '0xFFFFFFFC',
  'phys:0x0', '((((', '['.repeat(300), '('.repeat(5000) + '1' + ')'.repeat(5000), {}, [], [null], [5], { line: 'abc' }, { name: null }, 'x'.repeat(20_000),
];

function nasty(r: Rand): unknown {
  return pick(r, NASTY);
}

function int(r: Rand): number {
  const k = r();
  if (k < 0.5) return Math.floor(r() * 64);
  if (k < 0.7) return Math.floor(r() * 4000);
  if (k < 0.8) return -Math.floor(r() * 2 ** 40);
  if (k < 0.9) return Math.floor(r() * 2 ** 53);
  return pick(r, [0xfffffffc, 0xffffffff, 0x100000000, 2 ** 53, -(2 ** 53), 1_000_000_000, -1_000_000_000]);
}

function address(r: Rand): string {
  const a = pick(r, [0, 0x1000, 0x10000, 0x400000, 0xfffffffc, 0xfffffff0, Math.floor(r() * 2 ** 32)]);
  return (r() < 0.2 ? 'phys:' : '') + '0x' + a.toString(16);
}

function expression(r: Rand): string {
  return pick(r, ['pc', 'r1', 'sp + 4', '[sp]', 'byte[pc]', 'cr3', 'phys:0x1000', '_start', 'info tlb', 'info pt', 'x/4w pc', 'va2pa pc', 'help', 'info vmcs', 'info exits', 'x/8i pc', '1/0', 'r1 = 5', 'nosuch', '(('.repeat(60) + '1' + '))'.repeat(60), '-'.repeat(500) + '1', '1+'.repeat(4000) + '1']);
}

/** Well-typed arguments for a command (values may still be out of range). */
function wellTyped(r: Rand, command: string, program: string): Record<string, unknown> {
  const line = () => (r() < 0.8 ? 1 + Math.floor(r() * 80) : int(r));
  const source = () => ({ path: r() < 0.85 ? program : pick(r, ['/etc/passwd', 'nosuch.rasm', '', '/dev/zero']) });
  const cond = () => (r() < 0.2 ? { condition: expression(r) } : r() < 0.1 ? { hitCondition: pick(r, ['3', '>2', '%2', 'x']) } : {});
  switch (command) {
    case 'setBreakpoints': return { source: source(), breakpoints: Array.from({ length: Math.floor(r() * 4) }, () => ({ line: line(), ...cond() })) };
    case 'breakpointLocations': return { source: source(), line: line(), endLine: r() < 0.5 ? line() : undefined };
    case 'setFunctionBreakpoints': return { breakpoints: Array.from({ length: Math.floor(r() * 3) }, () => ({ name: pick(r, ['_start', 'main', 'nosuch', 'print', ' ', 'x'.repeat(50)]), ...cond() })) };
    case 'setInstructionBreakpoints': return { breakpoints: Array.from({ length: Math.floor(r() * 3) }, () => ({ instructionReference: address(r), offset: r() < 0.3 ? int(r) : undefined })) };
    case 'setExceptionBreakpoints': return { filters: Array.from({ length: Math.floor(r() * 3) }, () => pick(r, ['page-fault', 'syscall', 'ring-change', 'vmexit', 'triple-fault', 'nosuch'])) };
    case 'dataBreakpointInfo': return { name: expression(r), asAddress: r() < 0.5, bytes: r() < 0.5 ? Math.floor(r() * 8) + 1 : undefined };
    case 'setDataBreakpoints': return { breakpoints: Array.from({ length: Math.floor(r() * 3) }, () => ({ dataId: pick(r, ['p:0x2000:4', 'v:0x1000:4@0:-', 'p:0x0:99999999999999', 'v:0xfffffffc:4294967296', 'p:0xffffffffffff:4', 'nosuch', '']), accessType: pick(r, ['read', 'write', 'readWrite']) })) };
    case 'continue': case 'next': case 'stepIn': case 'stepOut': case 'pause': case 'reverseContinue': case 'exceptionInfo':
      return { threadId: r() < 0.9 ? 1 : int(r) };
    case 'stepBack': return { threadId: 1, granularity: pick(r, ['instruction', 'line', undefined]) };
    case 'gotoTargets': return { source: source(), line: line() };
    case 'goto': return { threadId: 1, targetId: Math.floor(r() * 5) };
    case 'stackTrace': return { threadId: r() < 0.9 ? 1 : int(r), startFrame: r() < 0.3 ? int(r) : undefined, levels: r() < 0.3 ? int(r) : undefined };
    case 'scopes': return { frameId: Math.floor(r() * 4) };
    case 'variables': return { variablesReference: Math.floor(r() * 40) };
    case 'setVariable': return { variablesReference: Math.floor(r() * 20), name: pick(r, ['r1', 'pc', 'cr3', 'PG', 'sp', 'nosuch']), value: pick(r, ['5', '0x400000', '-1', 'abc', '((']) };
    case 'completions': return { text: pick(r, ['', 'r', 'info t', 'x/', expression(r)]), column: Math.floor(r() * 10) };
    case 'evaluate': return { expression: expression(r), context: pick(r, ['repl', 'watch', 'hover', undefined]) };
    case 'readMemory': return { memoryReference: address(r), offset: r() < 0.3 ? int(r) : undefined, count: r() < 0.8 ? Math.floor(r() * 512) : int(r) };
    case 'writeMemory': return { memoryReference: address(r), offset: r() < 0.3 ? int(r) : undefined, data: Buffer.from(Array.from({ length: Math.floor(r() * 16) }, () => Math.floor(r() * 256))).toString('base64') };
    case 'disassemble': return { memoryReference: address(r), instructionOffset: r() < 0.6 ? int(r) : undefined, instructionCount: Math.floor(r() * 64) };
    case 'pageTables': case 'pageView': return { space: r() < 0.7 ? undefined : Math.floor(r() * 3), va: r() < 0.5 ? Math.floor(r() * 2 ** 32) : undefined };
    case 'pageRows': return { ept: r() < 0.2, dir: Math.floor(r() * 1024), from: Math.floor(r() * 64), count: Math.floor(r() * 64) };
    case 'transitions': return { start: r() < 0.3 ? int(r) : undefined, count: r() < 0.3 ? int(r) : undefined, kinds: r() < 0.3 ? [pick(r, ['trap', 'iret', 'vmexit'])] : undefined };
    case 'ringsidePanels': return { pageTables: r() < 0.5 };
    case 'ringsideWatch': return { address: Math.floor(r() * 2 ** 32), physical: r() < 0.5, length: Math.floor(r() * 8) + 1 };
    case 'ringsideUnwatch': return { id: Math.floor(r() * 10) };
    case 'timeTravel': return { icount: r() < 0.8 ? Math.floor(r() * 2000) : pick(r, [2 ** 53, 1e9, 0]) };
    default: return {};
  }
}

/** Break well-typed arguments: drop, retype or replace an attribute (sometimes a nested one). */
function mutate(r: Rand, args: Record<string, unknown>): unknown {
  const k = r();
  if (k < 0.08) return nasty(r);
  const out: Record<string, unknown> = JSON.parse(JSON.stringify(args));
  const keys = Object.keys(out);
  const key = keys.length && r() < 0.85 ? pick(r, keys) : pick(r, ['line', 'breakpoints', 'source', 'expression', 'text', 'kinds', 'icount', 'threadId', 'filters']);
  const v = out[key];
  if (Array.isArray(v) && v.length && r() < 0.5) {
    const i = Math.floor(r() * v.length);
    if (typeof v[i] === 'object' && v[i] !== null && r() < 0.7) {
      const inner = v[i] as Record<string, unknown>;
      inner[pick(r, [...Object.keys(inner), 'line', 'name'])] = nasty(r);
    } else v[i] = nasty(r);
  } else if (typeof v === 'object' && v !== null && r() < 0.5) {
    (v as Record<string, unknown>)[pick(r, [...Object.keys(v), 'path'])] = nasty(r);
  } else if (r() < 0.2) delete out[key];
  else out[key] = nasty(r);
  return out;
}

const COMMANDS = [
  'setBreakpoints', 'breakpointLocations', 'setFunctionBreakpoints', 'setInstructionBreakpoints', 'setExceptionBreakpoints', 'dataBreakpointInfo',
  'setDataBreakpoints', 'continue', 'next', 'stepIn', 'stepOut', 'pause', 'stepBack', 'reverseContinue', 'gotoTargets', 'goto', 'threads', 'stackTrace',
  'scopes', 'variables', 'setVariable', 'completions', 'evaluate', 'exceptionInfo', 'readMemory', 'writeMemory', 'disassemble', 'pageTables', 'pageView',
  'pageRows', 'transitions', 'ringsidePanels', 'ringsideWatch', 'ringsideUnwatch', 'timeTravel', 'loadedSources', 'source', 'restart', 'nosuchRequest',
];
/** Frames that are not DAP requests: each must be reported (an output event) and skipped. */
export const MALFORMED = ['null', '{"seq":', '{"type":"x"}', '[]', '5', '"request"', '{"type":"request","seq":99}', '{"type":"request","command":5,"seq":98}', '{"type":"request","command":"threads"}'];

/** Requests that move the machine: sent more often, so the others meet it in many states. */
const MOVES = ['next', 'stepIn', 'stepOut', 'stepBack', 'continue', 'pause', 'timeTravel', 'reverseContinue'];

interface Pending {
  resolve: (m: Record<string, unknown>) => void;
  timer: NodeJS.Timeout;
}

/** A framed DAP connection to one adapter process. */
class Wire {
  private buf = Buffer.alloc(0);
  private seq = 1;
  private pending = new Map<number, Pending>();
  exited: number | null | undefined;
  readonly problems: string[] = [];

  constructor(
    readonly proc: Endpoint,
    private readonly timeoutMs: number,
  ) {
    proc.stdout!.on('data', (d: Buffer) => this.data(d));
    proc.stderr?.on('data', (d: Buffer) => {
      const t = d.toString();
      if (INTERNAL.test(t)) this.problems.push(`stderr: ${t.slice(0, 300)}`);
    });
    proc.on('exit', (code) => {
      this.exited = code;
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.resolve({ exited: true });
      }
      this.pending.clear();
    });
  }

  private data(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const h = this.buf.indexOf('\r\n\r\n');
      if (h < 0) return;
      const len = Number(/Content-Length: (\d+)/.exec(this.buf.subarray(0, h).toString())?.[1]);
      if (this.buf.length < h + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(h + 4, h + 4 + len).toString());
      this.buf = this.buf.subarray(h + 4 + len);
      if (msg.type === 'response') {
        const p = this.pending.get(msg.request_seq);
        if (p) {
          clearTimeout(p.timer);
          this.pending.delete(msg.request_seq);
          p.resolve(msg);
        }
      } else if (msg.type === 'event') this.onEvent?.(msg);
      if (msg.type === 'event' && msg.event === 'output') {
        const text = String(msg.body?.output);
        if (INTERNAL.test(text)) this.problems.push(`output event: ${text.slice(0, 300)}`);
        if (text.includes('malformed message')) {
          this.malformedReports++;
          this.onReport?.();
        }
      }
    }
  }

  /** Called with every event the adapter sends. */
  onEvent: ((e: { event: string; body?: unknown }) => void) | undefined;

  /** Malformed frames the adapter has reported (an output event each). */
  malformedReports = 0;
  private onReport: (() => void) | undefined;

  /** Wait until the adapter has reported `n` malformed frames: false if it exits or does not within the timeout. */
  reported(n: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.onReport = undefined;
        this.proc.off('exit', gone);
        resolve(ok);
      };
      const gone = () => done(false);
      const timer = setTimeout(() => done(false), this.timeoutMs);
      this.onReport = () => this.malformedReports >= n && done(true);
      this.proc.on('exit', gone);
      if (this.exited !== undefined) done(false);
      else this.onReport();
    });
  }

  /** Write raw bytes (for malformed frames). */
  raw(text: string): void {
    this.proc.stdin!.write(text);
  }

  frame(body: string): void {
    this.raw(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  /** Send a request; resolves with the response, `{timeout: true}` or `{exited: true}`. `seqLast`: in VS Code's order. */
  request(command: string, args: unknown, seqLast = false): Promise<Record<string, unknown>> {
    const seq = this.seq++;
    return new Promise((resolve) => {
      if (this.exited !== undefined) return resolve({ exited: true });
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        resolve({ timeout: true });
      }, this.timeoutMs);
      this.pending.set(seq, { resolve, timer });
      this.frame(JSON.stringify(seqLast ? { command, arguments: args, type: 'request', seq } : { seq, type: 'request', command, arguments: args }));
    });
  }
}

export function startAdapter(adapter: string | (() => Endpoint), timeoutMs = 5000): Wire {
  const proc = typeof adapter === 'string' ? spawn(process.execPath, [adapter], { stdio: ['pipe', 'pipe', 'pipe'] }) : adapter();
  proc.stdin!.on('error', () => undefined);
  return new Wire(proc, timeoutMs);
}

/** Check one answer; returns the problem, if any. */
function judge(command: string, res: Record<string, unknown>): { kind: 'exit' | 'timeout' | 'internal'; what: string } | undefined {
  if (res.exited) return { kind: 'exit', what: `the adapter exited during '${command}'` };
  if (res.timeout) return { kind: 'timeout', what: `no answer to '${command}'` };
  const text = res.success ? JSON.stringify(res.body ?? {}).replace(/"(instruction|text|result|value|name)":"[^"]*"/g, '') : String(res.message ?? '') + JSON.stringify((res.body as { error?: unknown })?.error ?? '');
  if (INTERNAL.test(text)) return { kind: 'internal', what: `'${command}' answered with internal error text: ${text.slice(0, 300)}` };
  return undefined;
}

async function sequence(opts: Required<Omit<FuzzOptions, 'first' | 'progress'>>, index: number, sum: FuzzSummary): Promise<void> {
  const r = rng((opts.seed * 0x9e3779b1) ^ (index * 0x85ebca6b));
  const program = pick(r, opts.programs);
  const w = startAdapter(opts.adapter, opts.timeoutMs);
  const trail: string[] = [];
  let failed = false;
  const send = async (command: string, args: unknown): Promise<Record<string, unknown>> => {
    trail.push(`${command} ${JSON.stringify(args)?.slice(0, 200)}`);
    sum.requests++;
    const t0 = performance.now();
    const res = await w.request(command, args);
    const dt = performance.now() - t0;
    if (dt > (sum.slowest?.ms ?? 0)) sum.slowest = { ms: dt, request: trail[trail.length - 1] };
    // In this process a blocked adapter blocks the timer too: an answer that came too late counts as none.
    const bad = failed ? undefined : judge(command, dt > opts.timeoutMs ? { timeout: true } : res);
    if (bad) {
      failed = true;
      if (bad.kind === 'exit') sum.exits++;
      else if (bad.kind === 'timeout') sum.timeouts++;
      else sum.internalErrors++;
      sum.failures.push({ sequence: index, what: bad.what, trail: [...trail] });
    }
    return res;
  };
  try {
    await send('initialize', { adapterID: 'ringside', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const history = pick(r, [0, 1000, 100_000, undefined]);
    // The launch is answered once the configuration is done.
    const launched = send('launch', { program, stopOnEntry: r() < 0.9, history });
    await send('configurationDone', {});
    await launched;
    const n = opts.requestsPerSequence;
    for (let i = 0; i < n && !failed; i++) {
      const k = r();
      if (k < 0.04) {
        // A malformed frame: none of them may end the session.
        const text = pick(r, MALFORMED);
        trail.push(`frame ${text}`);
        const want = w.malformedReports + 1;
        w.frame(text);
        if (!(await w.reported(want))) {
          failed = true;
          if (w.exited !== undefined) sum.exits++;
          else sum.timeouts++;
          sum.failures.push({ sequence: index, what: w.exited !== undefined ? 'the adapter exited after a malformed frame' : 'a malformed frame was not reported', trail: [...trail] });
        }
        continue;
      }
      const command = k < 0.3 ? pick(r, MOVES) : pick(r, COMMANDS);
      const good = wellTyped(r, command, program);
      await send(command, r() < 0.55 ? good : mutate(r, good));
    }
    if (!failed) await send('disconnect', {});
  } finally {
    if (!failed && w.problems.length) {
      sum.internalErrors++;
      sum.failures.push({ sequence: index, what: w.problems[0], trail });
    }
    if (w.exited === undefined) w.proc.kill();
  }
}

export async function fuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const opts = {
    requestsPerSequence: 25,
    timeoutMs: 5000,
    parallel: 2,
    programs: ['samples/hello/hello.rasm', 'test/dap/fixtures/traps.rasm', 'test/dap/fixtures/vm.rasm', 'test/dap/fixtures/pagefault.rasm', 'test/dap/fixtures/twoproc.rasm'].map((p) => path.join(ROOT, p)),
    ...o,
  };
  const first = o.first ?? 0;
  const sum: FuzzSummary = { seed: o.seed, sequences: o.sequences, requests: 0, failures: [], exits: 0, timeouts: 0, internalErrors: 0, ms: 0 };
  const t0 = performance.now();
  let next = first;
  const worker = async () => {
    while (next < first + o.sequences) {
      await sequence(opts, next++, sum);
      if ((next - first) % 1000 === 0) o.progress?.({ ...sum, sequences: next - first, ms: performance.now() - t0 });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel) }, worker));
  sum.ms = performance.now() - t0;
  return sum;
}

/** The adapter as a session in this process: the fuzzer's sequences start in microseconds instead of a node process each. */
export function inProcess(): Endpoint {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const session = new RingsideSession(nodeAdapterHost);
  session.setRunAsServer(true);
  session.logToStderr = false;
  session.start(stdin, stdout);
  return Object.assign(new EventEmitter(), {
    stdin,
    stdout,
    stderr: null,
    kill: () => {
      // Stop a run still going (the client never sent disconnect), then close the streams.
      const bye = '{"seq":999999,"type":"request","command":"disconnect"}';
      stdin.write(`Content-Length: ${bye.length}\r\n\r\n${bye}`);
      stdin.end();
    },
  });
}

