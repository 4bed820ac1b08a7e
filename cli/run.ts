/** `ringside run`: assemble, boot, print the guest's console, exit with its power-off code. */
import * as path from 'path';
import { assemble, AssembleResult } from '../language/assembler';
import { nodeHost } from '../language/nodeHost';
import { formatDiagnostic } from '../language/formatDiagnostic';
import { consoleDecoder, EventKind, EXIT_DEADLOCK, EXIT_LIMIT, EXIT_TRIPLE, Machine, StopReason } from '../emulator';
import { words } from '../language/l10n';
import { CostTable, resolveCosts } from '../emulator/isa/costs';
import { hex32 } from '../emulator/isa/hex';
import { parseCount, parseSize, splitArgs, UsageError } from './args';
import { formatEvent, formatSummary, labelNamer, stopExplanation } from './report';
import { Tracer } from './trace';

type Write = (s: string) => void;

/** Assemble a file and print its diagnostics; undefined when it has errors. */
export function assembleOrReport(file: string, err: Write): AssembleResult | undefined {
  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  const res = assemble(path.resolve(file), { ...nodeHost, display: rel });
  for (const d of res.diagnostics) err(formatDiagnostic(d, rel) + '\n');
  return res.ok ? res : undefined;
}

/** --costs PRESET and --cost NAME=N[,NAME=N...]: the cycle cost table (docs/isa.md, "Cycle cost model"). */
function parseCosts(preset: string | undefined, entries: string | undefined): CostTable {
  const spec: Record<string, unknown> = {};
  if (preset !== undefined) spec.preset = preset;
  for (const part of (entries ?? '').split(',').filter((p) => p.trim())) {
    const m = /^\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/.exec(part);
    if (!m) throw new UsageError(`--cost: '${part}' is not NAME=CYCLES (for example vmExit=2500)`);
    spec[m[1]] = /^\d+$/.test(m[2]) ? Number(m[2]) : m[2];
  }
  const r = resolveCosts(spec);
  if ('error' in r) throw new UsageError(`${entries !== undefined ? '--cost' : '--costs'}: ${r.error}`);
  return r.costs;
}

export function runCommand(argv: string[], out: Write, err: Write): number {
  const { positional, options } = splitArgs(argv, ['memory', 'tlb', 'max-instructions', 'stdin', 'costs', 'cost'], ['trace', 'events', 'json', 'summary', 'no-jit']);
  if (positional.length !== 1) throw new UsageError('run takes exactly one FILE.rasm');
  const file = positional[0];
  const memory = options.has('memory') ? parseSize(options.get('memory')!, '--memory') : undefined;
  const tlbEntries = options.has('tlb') ? parseCount(options.get('tlb')!, '--tlb') : undefined;
  const maxSteps = options.has('max-instructions') ? parseCount(options.get('max-instructions')!, '--max-instructions') : 1_000_000_000;
  const costs = parseCosts(options.get('costs'), options.get('cost'));
  const json = options.has('json');
  const events = options.has('events') && !json;
  const trace = options.has('trace') && !json;

  const program = assembleOrReport(file, err);
  if (!program) return 1;
  let machine: Machine;
  try {
    machine = new Machine({ memory, tlbEntries, costs, jit: !options.has('no-jit'), stdin: options.get('stdin')?.replace(/\\n/g, '\n') });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // A program placed past the end of memory: said at its first line that does not fit.
  const outside = program.sourceMap.entries().find((e) => e.pa + e.size > machine.memorySize);
  if (outside) {
    const message = `this line's bytes are at physical ${hex32(outside.pa >>> 0)}, outside the machine's ${machine.memorySize >> 20} MiB of memory (place it lower with .org, or give --memory a larger size)`;
    const d = { file: outside.file, line: outside.line, col: 0, endLine: outside.line, endCol: 0, severity: 'error' as const, message, code: 'outside-memory' };
    err(formatDiagnostic(d, (f) => path.relative(process.cwd(), f) || f) + '\n');
    return 1;
  }
  machine.load(program.segments, program.entry);

  let printed = 0;
  // The guest's bytes as UTF-8 text (a character split between two slices kept whole).
  const decode = consoleDecoder();
  let eventsShown = 0;
  const flushOutput = () => {
    if (json) return;
    const bytes = machine.output(printed);
    const text = bytes.length ? decode(bytes) : '';
    if (text) out(text);
    printed += bytes.length;
  };
  const labelAt = labelNamer(program.symbols, (va) => machine.translate(va));
  const flushEvents = () => {
    for (; eventsShown < machine.eventCount; eventsShown++) out(formatEvent(machine.event(eventsShown), labelAt) + '\n');
  };
  if (events) machine.stopOnEvents([EventKind.Trap, EventKind.Interrupt, EventKind.Iret, EventKind.VmEntry, EventKind.VmExit, EventKind.TripleFault]);

  const tracer = trace ? new Tracer(machine, program, out) : undefined;
  const end = machine.icount + maxSteps;
  let stop: StopReason = 'limit';
  while (machine.icount < end) {
    const slice = tracer ? 1 : Math.min(end - machine.icount, 1_000_000);
    tracer?.before();
    stop = machine.run(slice);
    tracer?.after();
    flushOutput();
    if (events) flushEvents();
    if (stop !== 'limit' && stop !== 'event') break;
  }

  // The output and transition log have caps: what they left out is said, never dropped silently.
  const notes = words.limits(machine.limits).map((n) => n.text);
  if (!json) for (const n of notes) err(`ringside: note: ${n}\n`);
  if (json) {
    const s = machine.summary();
    out(JSON.stringify({ stop, message: stop === 'poweroff' ? '' : stopExplanation(stop, machine, maxSteps), output: machine.outputText(), ...s, limits: { ...machine.limits, notes } }, null, 2) + '\n');
  } else if (options.has('summary')) out(formatSummary(machine.summary(), stop));

  switch (stop) {
    case 'poweroff':
      return machine.exitCode & 0xff;
    case 'triple-fault':
      err(`ringside: ${stopExplanation(stop, machine, maxSteps)}\n`);
      return EXIT_TRIPLE;
    case 'deadlock':
      err(`ringside: ${stopExplanation(stop, machine, maxSteps)}\n`);
      return EXIT_DEADLOCK;
    default:
      err(`ringside: ${stopExplanation('limit', machine, maxSteps)}\n`);
      return EXIT_LIMIT;
  }
}
