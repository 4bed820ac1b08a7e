/**
 * The breakpoints the user set, resolved to PHYSICAL addresses (spec 9): line
 * breakpoints through the source map, function breakpoints through a label's
 * load address, instruction breakpoints by translating the address they were
 * set on. The machine checks a bitmap of these addresses; when it stops at
 * one, conditions, hit counts and logpoints are decided here.
 */
import type { Expr } from '../../language/expr';
import { EvalEnv, evaluate, ExprError, interpolate, parse } from './expressions';
import { t } from '../../language/l10n';

export type CodeKind = 'line' | 'function' | 'instruction';

export interface CodeBreakpoint {
  id: number;
  kind: CodeKind;
  /** Physical addresses it fires at (one per copy of the code). */
  pas: number[];
  /**
   * The assembled addresses of the code it was set on: at an address an overlay shares with other
   * code (overlays.ts), it counts only while that code is there. None for an instruction
   * breakpoint: it is on an address, whatever runs there.
   */
  code?: number[];
  condition?: Expr;
  hitCondition?: (hits: number) => boolean;
  logMessage?: string;
  /** Times reached with its condition true. */
  hits: number;
  /** The instruction counts of those hits, oldest first: going back in time takes the later ones back. */
  hitAt?: number[];
}

export interface DataBreakpoint {
  id: number;
  /** The machine's number for it (1..63: the watch map keeps 6 bits). */
  slot: number;
  address: number;
  length: number;
  physical: boolean;
  /** 1 read, 2 write, 3 both. */
  mode: number;
  condition?: Expr;
  hitCondition?: (hits: number) => boolean;
  hits: number;
  hitAt?: number[];
  /** For a virtual address: the address space it belongs to (the VM, and cr3 when paging was on); the machine watches only there. */
  space?: { vm: number; cr3?: number };
}

/** Count a hit at instruction `icount`. */
/** Hits recorded going forward before instruction `icount`. */
function hitsBefore(bp: CodeBreakpoint | DataBreakpoint, icount: number): number {
  let n = 0;
  for (const at of bp.hitAt ?? []) if (at < icount) n++;
  return n;
}

function countHit(bp: CodeBreakpoint | DataBreakpoint, icount: number): void {
  (bp.hitAt ??= []).push(icount);
  bp.hits = bp.hitAt.length;
}

/** Parse a hit condition: `5` (from the 5th hit on), `>5`, `>=5`, `==5`, `<5`, `<=5`, `%5` (every 5th). */
export function parseHitCondition(text: string): (hits: number) => boolean {
  const m = /^(>|>=|={1,3}|<|<=|%)?\s*([0-9]+)$/.exec(text.trim());
  if (!m) throw new ExprError(t("hit count '{0}' is not a number optionally after > >= == < <= or %", text));
  const n = Number(m[2]);
  // Hits are counted from 1: a count no hit can meet (`%0`, `==0`, `<1`) would never stop, silently.
  const never = m[1] === '%' ? n === 0 : m[1] === '<' ? n <= 1 : m[1] === '<=' || m[1]?.startsWith('=') ? n < 1 : false;
  if (never) throw new ExprError(t("hit count '{0}' is never met: hits are counted 1, 2, 3, ...", text));
  switch (m[1]) {
    case '>': return (h) => h > n;
    case '<': return (h) => h < n;
    case '<=': return (h) => h <= n;
    case '%': return (h) => n > 0 && h % n === 0;
    case '=': case '==': case '===': return (h) => h === n;
    default: return (h) => h >= n;
  }
}

/** Parse a condition, with a message that says which part of the breakpoint is wrong. */
export function parseCondition(text: string | undefined): Expr | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parse(text);
  } catch (e) {
    throw new ExprError(t('condition: {0}', (e as Error).message));
  }
}

export interface Decision {
  stop: boolean;
  ids: number[];
  kind?: CodeKind;
  /** A condition could not be evaluated: the stop says why. */
  error?: string;
}

export class Breakpoints {
  private nextId = 1;
  private readonly lineBps = new Map<string, CodeBreakpoint[]>();
  private functionBps: CodeBreakpoint[] = [];
  private instructionBps: CodeBreakpoint[] = [];
  /** The client's data breakpoints (setDataBreakpoints replaces them all). */
  private clientData: DataBreakpoint[] = [];
  /** Watches the panels asked for (ringsideWatch), kept apart from the client's list. */
  private panelData: DataBreakpoint[] = [];
  private byPa = new Map<number, CodeBreakpoint[]>();
  /** Bumped on every change, so the runtime knows to re-arm the machine. */
  version = 0;
  dataVersion = 0;

  /** `codeAt(pa)`: the assembled addresses whose code is at physical pa now (Program.codeAt). */
  constructor(private readonly codeAt: (pa: number) => number[]) {}

  newId(): number {
    return this.nextId++;
  }

  setLine(fileKey: string, bps: CodeBreakpoint[]): void {
    this.lineBps.set(fileKey, bps);
    this.rebuild();
  }
  setFunction(bps: CodeBreakpoint[]): void {
    this.functionBps = bps;
    this.rebuild();
  }
  setInstruction(bps: CodeBreakpoint[]): void {
    this.instructionBps = bps;
    this.rebuild();
  }
  setData(bps: DataBreakpoint[]): void {
    this.clientData = bps;
    this.renumber();
  }
  addPanelWatch(bp: DataBreakpoint): void {
    this.panelData = [...this.panelData.filter((d) => !(d.address === bp.address && d.physical === bp.physical)), bp];
    this.renumber();
  }
  removePanelWatch(id: number): boolean {
    const n = this.panelData.length;
    this.panelData = this.panelData.filter((d) => d.id !== id);
    this.renumber();
    return this.panelData.length !== n;
  }
  /** Every data breakpoint, each with the machine slot it is armed under. */
  get data(): DataBreakpoint[] {
    return [...this.clientData, ...this.panelData];
  }
  private renumber(): void {
    const all = this.data;
    if (all.length > 63) throw new Error(t('at most 63 data breakpoints (the machine keeps 6 bits per watched word)'));
    all.forEach((d, i) => (d.slot = i + 1));
    this.dataVersion++;
  }

  private rebuild(): void {
    this.byPa = new Map();
    for (const bp of this.allCode()) {
      for (const pa of bp.pas) {
        const list = this.byPa.get(pa);
        if (list) list.push(bp);
        else this.byPa.set(pa, [bp]);
      }
    }
    this.version++;
  }

  private allCode(): CodeBreakpoint[] {
    return [...[...this.lineBps.values()].flat(), ...this.functionBps, ...this.instructionBps];
  }

  /** Every armed physical address. */
  addresses(): IterableIterator<number> {
    return this.byPa.keys();
  }

  has(pa: number): boolean {
    return this.byPa.has(pa);
  }

  /**
   * The machine reached `pa` at instruction `icount`: decide whether to stop. Going forward, hit
   * counts advance and logpoints print; searching backward (`forward` false) conditions count,
   * and hit conditions see the number this hit had going forward.
   */
  decide(pa: number, env: EvalEnv, forward: boolean, log: (text: string) => void, icount = 0): Decision {
    const list = this.byPa.get(pa);
    const res: Decision = { stop: false, ids: [] };
    if (!list) return res;
    const here = this.codeAt(pa);
    for (const bp of list) {
      // Other code than the breakpoint's is there (an overlay's, or not yet copied): as a false condition.
      if (bp.code && !bp.code.some((c) => here.includes(c))) continue;
      if (bp.condition) {
        let ok: boolean;
        try {
          ok = evaluate(bp.condition, env).value !== 0;
        } catch (e) {
          res.stop = true;
          res.ids.push(bp.id);
          res.kind ??= bp.kind;
          res.error = `breakpoint condition failed: ${(e as Error).message}`;
          continue;
        }
        if (!ok) continue;
      }
      if (!forward) {
        // Going back, a hit condition sees the hit this was going forward: those recorded before it, plus one.
        if (bp.hitCondition && !bp.hitCondition(hitsBefore(bp, icount) + 1)) continue;
        if (bp.logMessage === undefined) {
          res.stop = true;
          res.ids.push(bp.id);
          res.kind ??= bp.kind;
        }
        continue;
      }
      countHit(bp, icount);
      if (bp.hitCondition && !bp.hitCondition(bp.hits)) continue;
      if (bp.logMessage !== undefined) {
        log(interpolate(bp.logMessage, env));
        continue;
      }
      res.stop = true;
      res.ids.push(bp.id);
      res.kind ??= bp.kind;
    }
    return res;
  }

  /** A data breakpoint (by machine slot) was hit: decide whether to stop. */
  decideData(slot: number, env: EvalEnv, forward: boolean, icount = 0): Decision {
    const bp = this.data.find((d) => d.slot === slot);
    if (!bp) return { stop: false, ids: [] };
    const id = bp.id;
    if (bp.condition) {
      try {
        if (evaluate(bp.condition, env).value === 0) return { stop: false, ids: [] };
      } catch (e) {
        return { stop: true, ids: [id], error: `data breakpoint condition failed: ${(e as Error).message}` };
      }
    }
    if (forward) {
      countHit(bp, icount);
      if (bp.hitCondition && !bp.hitCondition(bp.hits)) return { stop: false, ids: [] };
    } else if (bp.hitCondition && !bp.hitCondition(hitsBefore(bp, icount) + 1)) return { stop: false, ids: [] };
    return { stop: true, ids: [id] };
  }

  /**
   * The machine went back to instruction `icount`: hits after it have not happened (yet), so
   * hit counts and hit conditions see the run as it is now, as they would without time travel.
   */
  rewind(icount: number): void {
    for (const bp of [...this.allCode(), ...this.data]) {
      const at = bp.hitAt;
      if (!at) continue;
      while (at.length && at[at.length - 1] > icount) at.pop();
      bp.hits = at.length;
    }
  }
}
