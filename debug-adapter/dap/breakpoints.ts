/**
 * The breakpoint requests (line, function, instruction, exception and data
 * breakpoints), from DAP arguments to the runtime's physical breakpoints and
 * back to DAP answers: each breakpoint that cannot be placed is unverified
 * with a message that says why.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { CodeBreakpoint, DataBreakpoint, parseCondition, parseHitCondition } from '../engine/breakpoints';
import { type Condition, FILTERS, FilterId, parseFilterCondition } from '../engine/exceptions';
import { evaluate, hex8, parse } from '../engine/expressions';
import { parseReference } from '../engine/memory';
import type { Runtime } from '../engine/runtime';
import type { Variables } from '../views/variables';
import { dap, type Route, type SessionCore } from './route';
import { t, words } from '../../language/l10n';

/** Line-number conversion between the client and the debugger (0-based). */
interface Lines {
  toClient(line: number): number;
  toDebugger(line: number): number;
}

type Bp = DebugProtocol.Breakpoint;

/** Conditions and hit counts shared by code breakpoints; throws with a message naming the bad part. */
function conditions(bp: CodeBreakpoint | DataBreakpoint, b: { condition?: string; hitCondition?: string }): void {
  bp.condition = parseCondition(b.condition);
  if (b.hitCondition) bp.hitCondition = parseHitCondition(b.hitCondition);
}

function lineBreakpoints(rt: Runtime | undefined, args: DebugProtocol.SetBreakpointsArguments, lines: Lines): Bp[] {
  const file = args.source.path ?? args.source.name ?? '';
  const wanted: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
  const out: Bp[] = [];
  const armed: CodeBreakpoint[] = [];
  for (const b of wanted) {
    if (!rt) {
      out.push({ verified: false, line: b.line, message: 'the program is not assembled yet', reason: 'pending' });
      continue;
    }
    const id = rt.breakpoints.newId();
    const line0 = lines.toDebugger(b.line);
    const r = rt.program.resolveLine(file, line0);
    if (!r.ok) {
      out.push({ id, verified: false, line: b.line, source: args.source, message: r.message, reason: 'failed' });
      continue;
    }
    try {
      // Armed where the line's code runs once a program copies it too (overlays.ts).
      const bp: CodeBreakpoint = { id, kind: 'line', pas: rt.program.runAddresses(r.addresses), code: r.addresses, hits: 0, logMessage: b.logMessage };
      conditions(bp, b);
      armed.push(bp);
      out.push({ id, verified: true, line: lines.toClient(r.line), source: args.source, message: r.moved ? `moved to line ${r.line + 1}: line ${line0 + 1} has no instruction` : undefined });
    } catch (e) {
      out.push({ id, verified: false, line: b.line, source: args.source, message: (e as Error).message, reason: 'failed' });
    }
  }
  rt?.breakpoints.setLine(rt.program.key(file), armed);
  return out;
}

function breakpointLocations(rt: Runtime, args: DebugProtocol.BreakpointLocationsArguments, lines: Lines): DebugProtocol.BreakpointLocation[] {
  const from = lines.toDebugger(args.line);
  const to = lines.toDebugger(args.endLine ?? args.line);
  return rt.program.codeLines(args.source.path ?? '').filter((l) => l >= from && l <= to).map((l) => ({ line: lines.toClient(l) }));
}

function functionBreakpoints(rt: Runtime, args: DebugProtocol.SetFunctionBreakpointsArguments, lines: Lines): Bp[] {
  const out: Bp[] = [];
  const armed: CodeBreakpoint[] = [];
  for (const b of args.breakpoints) {
    const id = rt.breakpoints.newId();
    const s = rt.program.symbol(b.name.trim());
    if (!s || s.kind !== 'label' || s.load === undefined) {
      out.push({ id, verified: false, message: s ? `${b.name} is a constant (.equ), not a label` : `no label named '${b.name}'`, reason: 'failed' });
      continue;
    }
    try {
      const bp: CodeBreakpoint = { id, kind: 'function', pas: rt.program.runAddresses([s.load]), code: [s.load], hits: 0 };
      conditions(bp, b);
      armed.push(bp);
      const loc = rt.program.location(s.load);
      out.push({ id, verified: true, line: loc ? lines.toClient(loc.line) : undefined, source: loc ? rt.program.source(loc.file) : undefined, instructionReference: hex8(s.value) });
    } catch (e) {
      out.push({ id, verified: false, message: (e as Error).message, reason: 'failed' });
    }
  }
  rt.breakpoints.setFunction(armed);
  return out;
}

/**
 * Why the pc can never be at `addr` (physical `pa`): it is not a multiple of 4 (such a fetch
 * traps), or it is inside an instruction the program assembled there (its immediate word). Such a
 * breakpoint is refused, as the disassembly view offers only instruction starts.
 */
function neverFetched(rt: Runtime, addr: number, pa: number, physical: boolean): string | undefined {
  const at = `${physical ? 'phys:' : ''}${hex8(addr)}`;
  if (addr & 3) return t('{0} is not a multiple of 4: no instruction starts there (a fetch from it traps)', at);
  // The code there now: an overlay's, once a program copied it there.
  const code = rt.program.codeAt(pa)[0];
  const item = rt.program.asm.sourceMap.lookup(code);
  if (!item?.instruction || item.pa === code) return undefined;
  return t('{0} is the second word of the instruction at {1}: put the breakpoint on {1}', at, `${physical ? 'phys:' : ''}${hex8(addr - (code - item.pa))}`);
}

/** Instruction breakpoints: a virtual address translates through the current address space, `phys:` is taken as is. */
function instructionBreakpoints(rt: Runtime, args: DebugProtocol.SetInstructionBreakpointsArguments, lines: Lines): Bp[] {
  const out: Bp[] = [];
  const armed: CodeBreakpoint[] = [];
  for (const b of args.breakpoints) {
    const id = rt.breakpoints.newId();
    try {
      const ref = parseReference(b.instructionReference);
      const addr = (ref.address + (b.offset ?? 0)) >>> 0;
      const pa = ref.physical ? addr : rt.machine.translate(addr);
      if (pa < 0 || pa >= rt.machine.memorySize) throw new Error(`${hex8(addr)} is not mapped in the current address space`);
      const why = neverFetched(rt, addr, pa, ref.physical);
      if (why) throw new Error(why);
      const bp: CodeBreakpoint = { id, kind: 'instruction', pas: [pa], hits: 0 };
      conditions(bp, b);
      armed.push(bp);
      const loc = rt.program.location(pa);
      out.push({ id, verified: true, instructionReference: b.instructionReference, offset: b.offset, line: loc ? lines.toClient(loc.line) : undefined, source: loc ? rt.program.source(loc.file) : undefined });
    } catch (e) {
      out.push({ id, verified: false, message: (e as Error).message, reason: 'failed' });
    }
  }
  rt.breakpoints.setInstruction(armed);
  return out;
}

/**
 * DAP combines `filters` and `filterOptions`: a filter named in both, or twice, stops when any
 * of its entries would (one without a condition: always).
 */
function exceptionFilters(rt: Runtime, args: DebugProtocol.SetExceptionBreakpointsArguments): Bp[] {
  const wanted = [...(args.filters ?? []).map((f) => ({ filterId: f, condition: undefined as string | undefined })), ...(args.filterOptions ?? [])];
  const out: Bp[] = [];
  const chosen = new Map<FilterId, (Condition | undefined)[]>();
  for (const w of wanted) {
    const def = FILTERS.find((f) => f.id === w.filterId);
    if (!def) {
      out.push({ verified: false, message: `unknown exception filter '${w.filterId}' (filters: ${FILTERS.map((f) => f.id).join(', ')})` });
      continue;
    }
    try {
      const cond = parseFilterCondition(def.id, w.condition);
      chosen.set(def.id, [...(chosen.get(def.id) ?? []), cond]);
      out.push({ verified: true });
    } catch (e) {
      out.push({ verified: false, message: (e as Error).message });
    }
  }
  rt.filters.clear();
  for (const [id, conds] of chosen) rt.filters.set(id, conds.includes(undefined) ? undefined : anyOf(conds as Condition[]));
  return out;
}

const anyOf = (conds: Condition[]): Condition => (conds.length === 1 ? conds[0] : (ev, env) => conds.some((c) => c(ev, env)));

/**
 * What a data breakpoint would watch: a Paging/VMCS variable's physical word,
 * an address (`asAddress`, or `phys:`), or an expression: `[addr]` watches that
 * memory, a label or number is taken as the address.
 */
function dataBreakpointInfo(rt: Runtime, vars: Variables, args: DebugProtocol.DataBreakpointInfoArguments): DebugProtocol.DataBreakpointInfoResponse['body'] {
  const bytes = Math.max(1, Math.min(args.bytes ?? 4, 4096));
  let address: number;
  let physical = args.mode === 'physical';
  if (args.variablesReference) {
    if (!vars.variables(args.variablesReference).some((v) => v.name === args.name)) throw new Error(t("no variable '{0}' here", args.name));
    const pa = vars.physicalOf(args.variablesReference, args.name);
    if (pa === undefined) {
      return { dataId: null, description: `${args.name} is not in memory (registers cannot be watched): watch an address instead, e.g. [sp] or phys:0x12000` };
    }
    address = pa;
    physical = true;
  } else if (args.asAddress) {
    const ref = parseReference(args.name);
    address = ref.address;
    physical ||= ref.physical;
  } else {
    // A bare register is the register, as in the Variables view; `[r4]` is the memory it points to.
    const node = parse(args.name);
    if (node.kind === 'sym' && rt.env.register(node.name) !== undefined) return { dataId: null, description: t('{0} is a register, not memory: registers cannot be watched (watch [{0}] for the word it points to)', node.name) };
    const v = evaluate(node, rt.env);
    address = v.memory ? v.memory.address : v.value;
    physical ||= v.memory ? v.memory.physical : v.physical === true;
  }
  const outside = pastMemory(rt, address, bytes, physical);
  if (outside) return { dataId: null, description: outside };
  const what = `${bytes} byte${bytes === 1 ? '' : 's'} at ${physical ? 'physical ' : ''}${hex8(address)}`;
  if (physical) return { dataId: `p:${hex8(address)}:${bytes}`, description: what, accessTypes: ['read', 'write', 'readWrite'], canPersist: true };
  // A virtual address means something only in one address space: the one it was named in.
  const m = rt.machine;
  const cr3 = m.paging ? m.sysReg(3) >>> 0 : undefined;
  // The space is named only where there are several (a VM has run); the page directory wherever paging is on.
  const where = [m.vms().length > 0 ? words.space(m.currentVm) : '', cr3 !== undefined ? `cr3 ${hex8(cr3)}` : ''].filter(Boolean).join(', ');
  return { dataId: `v:${hex8(address)}:${bytes}@${m.currentVm}:${cr3 !== undefined ? hex8(cr3) : '-'}`, description: where ? `${what} (${where})` : what, accessTypes: ['read', 'write', 'readWrite'], canPersist: true };
}

/** The range is past the end of memory: physical, or virtual with paging off (linear = physical). Unmapped pages may be mapped later. */
function pastMemory(rt: Runtime, address: number, bytes: number, physical: boolean): string | undefined {
  const m = rt.machine;
  if (!physical && m.paging) return undefined;
  if (address + bytes <= m.memorySize) return undefined;
  return t('{0} is past the end of memory ({1} MiB): there is nothing to watch there', `${physical ? 'phys:' : ''}${hex8(address)}`, m.memorySize / 1048576);
}

function dataBreakpoints(rt: Runtime, args: DebugProtocol.SetDataBreakpointsArguments): Bp[] {
  const out: Bp[] = [];
  const armed: DataBreakpoint[] = [];
  for (const b of args.breakpoints) {
    const id = rt.breakpoints.newId();
    const m = /^([pv]):(0x[0-9a-f]+):(\d+)(?:@(\d+):(0x[0-9a-f]+|-))?$/i.exec(b.dataId);
    try {
      if (!m) throw new Error(`'${b.dataId}' is not a data breakpoint id from dataBreakpointInfo`);
      if (armed.length >= 63) throw new Error('at most 63 data breakpoints (the machine keeps 6 bits per watched word)');
      const physical = m[1] === 'p';
      const address = Number(m[2]);
      const length = Number(m[3]);
      // The id is the client's to send: a forged one must still name a range of the address space.
      if (!(address <= 0xffffffff && length >= 1 && address + length <= 0x1_0000_0000)) throw new Error(`'${b.dataId}' names ${length} bytes at ${m[2]}, which is not a range of the 32-bit address space`);
      if (physical && address >= rt.machine.memorySize) throw new Error(`physical ${hex8(address)} is past the end of memory`);
      const access = b.accessType ?? 'write';
      const bp: DataBreakpoint = { id, slot: 0, address, length, physical, mode: access === 'read' ? 1 : access === 'readWrite' ? 3 : 2, hits: 0 };
      // `@VM:cr3`: the address space the virtual address was named in (none: any space).
      if (!physical && m[4] !== undefined) bp.space = { vm: Number(m[4]), cr3: m[5] === '-' ? undefined : Number(m[5]) };
      conditions(bp, b);
      armed.push(bp);
      out.push({ id, verified: true, message: `${access} of ${physical ? 'physical ' : ''}${hex8(address)}` });
    } catch (e) {
      out.push({ id, verified: false, message: (e as Error).message, reason: 'failed' });
    }
  }
  rt.breakpoints.setData(armed);
  return out;
}

const lines = (s: SessionCore): Lines => ({ toClient: (l) => s.lineToClient(l), toDebugger: (l) => s.lineToDebugger(l) });

export const breakpointRequests: Route[] = [
  dap('setBreakpoints', (s, args) => ({ breakpoints: lineBreakpoints(s.rt, args, lines(s)) })),
  dap('breakpointLocations', (s, args) => ({ breakpoints: breakpointLocations(s.runtime(), args, lines(s)) })),
  dap('setFunctionBreakpoints', (s, args) => ({ breakpoints: functionBreakpoints(s.runtime(), args, lines(s)) })),
  dap('setInstructionBreakpoints', (s, args) => ({ breakpoints: instructionBreakpoints(s.runtime(), args, lines(s)) })),
  dap('setExceptionBreakpoints', (s, args) => ({ breakpoints: exceptionFilters(s.runtime(), args) })),
  dap('dataBreakpointInfo', (s, args) => {
    const rt = s.runtime();
    if (args.variablesReference) s.stopped();
    return dataBreakpointInfo(rt, s.vars!, args);
  }),
  dap('setDataBreakpoints', (s, args) => ({ breakpoints: dataBreakpoints(s.runtime(), args) })),
];
