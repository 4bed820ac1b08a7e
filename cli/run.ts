/** `ringside run`: assemble, boot, print the guest's console, exit with its power-off code. */
import { EventKind, EXIT_DEADLOCK, EXIT_LIMIT, EXIT_TRIPLE, Machine, StopReason } from '../emulator';
import { words } from '../language/l10n';
import { outsideMemory } from '../language/memoryFit';
import { CostTable, resolveCosts } from '../emulator/isa/costs';
import { parseCount, parseSize, splitArgs, UsageError } from './args';
import { incompleteTail, stdinBytes, stdinFileBytes } from './bytes';
import { assembleOrExit, formatForCli } from './diagnostics';
import { formatEvent, formatSummary, labelNamer, stopExplanation } from './report';
import { Tracer } from './trace';

export { EXIT_DEADLOCK, EXIT_LIMIT, EXIT_TRIPLE };
/** `run`'s instruction limit when --max-instructions is not given. */
export const DEFAULT_MAX_INSTRUCTIONS = 1_000_000_000;

/** Text, or the guest's bytes written unchanged (process.stdout.write takes both). */
type Write = (s: string | Uint8Array) => void;

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

/** Options that print something --json leaves no room for: refused together with it, not ignored. */
const NOT_WITH_JSON = ['trace', 'events', 'summary'];

function runOptions(argv: string[]) {
  const { positional, options } = splitArgs(argv, ['memory', 'tlb', 'max-instructions', 'stdin', 'stdin-file', 'costs', 'cost'], ['trace', 'events', 'json', 'summary', 'no-jit'], 'run');
  if (positional.includes('-')) throw new UsageError("run reads its program from a file: '-' (standard input) is not supported; give FILE.rasm");
  if (positional.length !== 1) throw new UsageError(`run takes exactly one FILE.rasm (${positional.length ? `got ${positional.map((p) => `'${p}'`).join(', ')}` : 'none given'})`);
  for (const o of NOT_WITH_JSON) if (options.has('json') && options.has(o)) throw new UsageError(`--json and --${o} cannot be used together: --json prints one JSON document and nothing else`);
  if (options.has('stdin') && options.has('stdin-file')) throw new UsageError('--stdin and --stdin-file cannot be used together: give the console input one way');
  const stdin = options.has('stdin-file') ? stdinFileBytes(options.get('stdin-file')!) : options.has('stdin') ? stdinBytes(options.get('stdin')!) : undefined;
  return { file: positional[0], options, stdin };
}

export function runCommand(argv: string[], out: Write, err: (s: string) => void): number {
  const { file, options, stdin } = runOptions(argv);
  const memory = options.has('memory') ? parseSize(options.get('memory')!, '--memory') : undefined;
  const tlbEntries = options.has('tlb') ? parseCount(options.get('tlb')!, '--tlb') : undefined;
  const maxSteps = options.has('max-instructions') ? parseCount(options.get('max-instructions')!, '--max-instructions') : DEFAULT_MAX_INSTRUCTIONS;
  const costs = parseCosts(options.get('costs'), options.get('cost'));
  const json = options.has('json');
  const events = options.has('events');
  const trace = options.has('trace');

  const program = assembleOrExit(file, err);
  if (typeof program === 'number') return program;
  let machine: Machine;
  try {
    machine = new Machine({ memory, tlbEntries, costs, jit: !options.has('no-jit'), stdin });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // A program placed past the end of memory: said at its first line that does not fit.
  const outside = outsideMemory(program, machine.memorySize, '--memory');
  if (outside) {
    err(formatForCli([outside]));
    return 1;
  }
  machine.load(program.segments, program.entry);

  let printed = 0;
  let eventsShown = 0;
  // The guest's bytes unchanged (port 0x10 writes one byte; a UTF-8 terminal shows Korean by
  // itself), a character's first bytes held until its last comes (`end`: the rest, whatever it is).
  const flushOutput = (end = false) => {
    if (json) return;
    const bytes = machine.output(printed);
    const n = end ? bytes.length : bytes.length - incompleteTail(bytes);
    if (n > 0) out(bytes.slice(0, n));
    printed += n;
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

  flushOutput(true);
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
