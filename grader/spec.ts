/**
 * The check file of an exercise (check.json): the samples' expected.json format (output,
 * exitCode, byCause, tlb, maxInstructions, assert), plus a list of checks with points,
 * hints and hidden ones, each on the console output, the exit code, a register or a memory
 * word at the end, the run's transitions, or an OS event of the run (docs/exercises.md).
 * Parsing never throws for a teacher's mistake: it returns an error with its location.
 */

import { isa, knownCause } from '../emulator';

export type OsRule =
  | { kind: 'tlb-coherent' }
  | { kind: 'no-privileged-in-ring3' }
  | { kind: 'user-pointers'; syscall: string; buffer: string; length: string; write: boolean };

export interface RunOptions {
  stdin: string;
  maxInstructions: number;
}

export type CheckBody =
  | { type: 'output'; equals?: string; contains: string[]; notContains: string[]; matches?: string }
  | { type: 'exitCode'; equals: number }
  | { type: 'register'; name: string; equals: number }
  | { type: 'memory'; at: string | number; equals: number; size: 1 | 4; physical: boolean }
  | { type: 'transitions'; cause: string[]; fromRing?: number; toRing?: number; count?: number; atLeast?: number; atMost?: number }
  | { type: 'tlb'; counter: string; equals: number }
  | { type: 'instructions'; atMost: number }
  | { type: 'assert'; match: string; equals?: number; cause?: string[] }
  | { type: 'os'; rule: OsRule };

export interface CheckSpec {
  /** Stable id (unique in the file): the Test Explorer and JUnit name checks by it. */
  id: string;
  name: string;
  points: number;
  hidden: boolean;
  hint?: string;
  /** The name and hint in Korean, for a student whose language is Korean (`localized`). */
  ko?: { name?: string; hint?: string };
  run: RunOptions;
  body: CheckBody;
  /** Ids of checks that must pass for this one to score (it would pass for a program that does nothing yet). */
  requires: string[];
}

export interface CheckFile {
  title: string;
  /** The title in Korean. */
  koTitle?: string;
  /** The .rasm file to assemble and run (relative to the check file). */
  program: string;
  /** The file the student edits (relative): where a failure without a better place points. */
  student?: string;
  /** Student file -> model solution (relative paths): `ringside check --solution` runs these instead. */
  solution: Record<string, string>;
  checks: CheckSpec[];
}

export class CheckFileError extends Error {}

const DEFAULT_MAX = 5_000_000;
const KINDS = ['output', 'exitCode', 'register', 'memory', 'transitions', 'tlb', 'instructions', 'assert', 'os'] as const;
const COMMON = ['id', 'name', 'points', 'hidden', 'hint', 'stdin', 'maxInstructions', 'ko', 'requires'];
const TOP = ['title', 'ko', 'program', 'student', 'solution', 'stdin', 'maxInstructions', 'requires', 'checks', 'output', 'exitCode', 'byCause', 'tlb', 'assert', '$schema', 'description'];

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse and validate a check file's text; `where` names it in errors ("exercises/x/check.json"). */
export function parseCheckFile(text: string, where: string): CheckFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CheckFileError(`${where}: not valid JSON: ${(e as Error).message}`);
  }
  if (!isObj(raw)) throw new CheckFileError(`${where}: expected an object at the top`);
  const err = (path: string, msg: string) => new CheckFileError(`${where}: ${path}: ${msg}`);
  for (const k of Object.keys(raw)) if (!TOP.includes(k)) throw err(k, `unknown field (expected one of ${TOP.filter((t) => t[0] !== '$').join(', ')})`);
  const str = (v: unknown, path: string): string => {
    if (typeof v !== 'string') throw err(path, 'expected a string');
    return v;
  };
  const num = (v: unknown, path: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw err(path, 'expected a number');
    return v;
  };
  const strs = (v: unknown, path: string): string[] => (Array.isArray(v) ? v.map((x, i) => str(x, `${path}[${i}]`)) : [str(v, path)]);
  /** A whole number from `lo` to `hi`. */
  const int = (v: unknown, path: string, lo: number, hi: number): number => {
    const n = num(v, path);
    if (!Number.isInteger(n) || n < lo || n > hi) throw err(path, `expected a whole number from ${lo} to ${hi}, not ${n}`);
    return n;
  };
  /** Causes as byCause names them ('#PF', 'syscall write', 'irq timer', 'vmexit hlt', 'iret'), or a prefix ending in '*'. */
  const causeList = (v: unknown, path: string): string[] => {
    const list = strs(v, path);
    list.forEach((c, i) => {
      if (!c.endsWith('*') && !knownCause(c)) throw err(Array.isArray(v) ? `${path}[${i}]` : path, `unknown cause '${c}' (causes are named as --json's byCause names them: '#PF', '#GP', 'syscall write', 'irq timer', 'iret', 'vmexit hlt'...; end with * for a prefix)`);
    });
    return list;
  };
  const regex = (v: unknown, path: string): string => {
    const r = str(v, path);
    try {
      new RegExp(r, 'm');
    } catch (e) {
      throw err(path, (e as Error).message);
    }
    return r;
  };

  const program = str(raw.program, 'program');
  const baseRun: RunOptions = {
    stdin: raw.stdin === undefined ? '' : str(raw.stdin, 'stdin'),
    maxInstructions: raw.maxInstructions === undefined ? DEFAULT_MAX : int(raw.maxInstructions, 'maxInstructions', 1, Number.MAX_SAFE_INTEGER),
  };
  const solution: Record<string, string> = {};
  if (raw.solution !== undefined) {
    if (!isObj(raw.solution)) throw err('solution', 'expected an object {"student file": "model solution file"}');
    for (const [k, v] of Object.entries(raw.solution)) solution[k] = str(v, `solution.${k}`);
  }
  const checks: CheckSpec[] = [];
  // The top-level "requires" is that of the checks the expected.json fields make.
  const topRequires = raw.requires === undefined ? [] : strs(raw.requires, 'requires');
  const add = (c: Omit<CheckSpec, 'run' | 'points' | 'hidden' | 'requires'> & Partial<CheckSpec>) =>
    checks.push({ points: 1, hidden: false, run: baseRun, requires: topRequires, ...c });

  // The expected.json part: each field is one check worth a point.
  if (raw.output !== undefined) add({ id: 'output', name: 'console output', ko: { name: '콘솔 출력' }, body: { type: 'output', equals: str(raw.output, 'output'), contains: [], notContains: [] } });
  if (raw.exitCode !== undefined) add({ id: 'exit-code', name: 'exit code', ko: { name: '종료 코드' }, body: { type: 'exitCode', equals: num(raw.exitCode, 'exitCode') } });
  if (raw.byCause !== undefined) {
    if (!isObj(raw.byCause)) throw err('byCause', 'expected an object {"cause": count}');
    for (const [c, n] of Object.entries(raw.byCause)) add({ id: `by-cause-${c}`, name: `transitions '${c}'`, ko: { name: `전이 '${c}'` }, body: { type: 'transitions', cause: causeList(c, `byCause.${c}`), count: int(n, `byCause.${c}`, 0, Number.MAX_SAFE_INTEGER) } });
  }
  if (raw.tlb !== undefined) {
    if (!isObj(raw.tlb)) throw err('tlb', 'expected an object {"hits": n, ...}');
    for (const [c, n] of Object.entries(raw.tlb)) add({ id: `tlb-${c}`, name: `TLB ${c}`, body: { type: 'tlb', counter: tlbCounter(c, `tlb.${c}`, err), equals: num(n, `tlb.${c}`) } });
  }
  if (raw.maxInstructions !== undefined) add({ id: 'instructions', name: `finishes within ${baseRun.maxInstructions} instructions`, ko: { name: `명령어 ${baseRun.maxInstructions}개 안에 끝남` }, body: { type: 'instructions', atMost: baseRun.maxInstructions } });
  if (raw.assert !== undefined) {
    if (!isObj(raw.assert)) throw err('assert', 'expected an object {"name": {"match": ..., "equals"|"cause": ...}}');
    for (const [name, a] of Object.entries(raw.assert)) {
      if (!isObj(a)) throw err(`assert.${name}`, 'expected an object');
      if (a.equals === undefined && a.cause === undefined) throw err(`assert.${name}`, 'give "equals" or "cause"');
      add({ id: `assert-${name}`, name, body: { type: 'assert', match: regex(a.match, `assert.${name}.match`), equals: a.equals === undefined ? undefined : num(a.equals, `assert.${name}.equals`), cause: a.cause === undefined ? undefined : causeList(a.cause, `assert.${name}.cause`) } });
    }
  }

  /** `"ko": { "name": "...", "hint": "..." }`: the Korean of those texts (each optional). */
  function korean(v: unknown, path: string, fields: string[]): Record<string, string> | undefined {
    if (v === undefined) return undefined;
    if (!isObj(v)) throw err(path, `expected an object { ${fields.map((f) => `"${f}": "..."`).join(', ')} } with the Korean text`);
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (!fields.includes(k)) throw err(`${path}.${k}`, `unknown field (expected ${fields.join(' or ')})`);
      out[k] = str(x, `${path}.${k}`);
    }
    return out;
  }

  if (raw.checks !== undefined) {
    if (!Array.isArray(raw.checks)) throw err('checks', 'expected a list');
    if (!raw.checks.length) throw err('checks', 'the list is empty (give at least one check, or leave "checks" out)');
    raw.checks.forEach((c, i) => {
      const at = `checks[${i}]`;
      if (!isObj(c)) throw err(at, 'expected an object');
      for (const k of Object.keys(c)) if (!COMMON.includes(k) && !(KINDS as readonly string[]).includes(k)) throw err(`${at}.${k}`, `unknown field (a check has one of ${KINDS.join(', ')}, and ${COMMON.join(', ')})`);
      const kinds = KINDS.filter((k) => c[k] !== undefined);
      if (kinds.length !== 1) throw err(at, `give exactly one of ${KINDS.join(', ')} (found ${kinds.length ? kinds.join(', ') : 'none'})`);
      const name = str(c.name, `${at}.name`);
      const points = c.points === undefined ? 1 : num(c.points, `${at}.points`);
      if (points < 0) throw err(`${at}.points`, 'must not be negative');
      const run: RunOptions = {
        stdin: c.stdin === undefined ? baseRun.stdin : str(c.stdin, `${at}.stdin`),
        maxInstructions: c.maxInstructions === undefined ? baseRun.maxInstructions : int(c.maxInstructions, `${at}.maxInstructions`, 1, Number.MAX_SAFE_INTEGER),
      };
      if (c.hidden !== undefined && typeof c.hidden !== 'boolean') throw err(`${at}.hidden`, `expected true or false, not ${JSON.stringify(c.hidden)}`);
      // A hidden check's id must not tell its name (reports and JUnit show ids): its place instead.
      const made = c.hidden === true ? `hidden-${i + 1}` : name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || `check-${i + 1}`;
      const id = c.id === undefined ? made : str(c.id, `${at}.id`);
      const requires = c.requires === undefined ? [] : strs(c.requires, `${at}.requires`);
      add({ id, name, points, hidden: c.hidden === true, hint: c.hint === undefined ? undefined : str(c.hint, `${at}.hint`), ko: korean(c.ko, `${at}.ko`, ['name', 'hint']), run, requires, body: parseBody(kinds[0], c[kinds[0]], `${at}.${kinds[0]}`, { str, num, strs, err, int, causeList, regex }) });
    });
  }
  const seen = new Set<string>();
  for (const c of checks) {
    if (seen.has(c.id)) throw err('checks', `two checks have the id '${c.id}' (give one an "id")`);
    seen.add(c.id);
  }
  checkRequires(checks, err);
  // maxInstructions alone is a limit on the run more than a check: a file needs one of its own.
  if (checks.length <= (raw.maxInstructions === undefined ? 0 : 1)) throw err('checks', 'the file has no checks (maxInstructions alone only limits the run)');
  return { title: raw.title === undefined ? program : str(raw.title, 'title'), koTitle: korean(raw.ko, 'ko', ['title'])?.title, program, student: raw.student === undefined ? undefined : str(raw.student, 'student'), solution, checks };
}

/** Every required id names a check, and no check requires itself, even through others. */
function checkRequires(checks: CheckSpec[], err: (path: string, msg: string) => CheckFileError): void {
  const byId = new Map(checks.map((c) => [c.id, c]));
  for (const c of checks) {
    for (const r of c.requires) if (!byId.has(r)) throw err(`requires of '${c.id}'`, `no check has the id '${r}' (ids: ${[...byId.keys()].join(', ')})`);
  }
  const done = new Set<string>();
  const visit = (c: CheckSpec, path: string[]): void => {
    if (path.includes(c.id)) throw err(`requires of '${c.id}'`, `the checks require each other in a circle: ${[...path.slice(path.indexOf(c.id)), c.id].join(' -> ')}`);
    if (done.has(c.id)) return;
    for (const r of c.requires) visit(byId.get(r)!, [...path, c.id]);
    done.add(c.id);
  };
  for (const c of checks) visit(c, []);
}

interface Parsers {
  str(v: unknown, path: string): string;
  num(v: unknown, path: string): number;
  strs(v: unknown, path: string): string[];
  err(path: string, msg: string): CheckFileError;
  int(v: unknown, path: string, lo: number, hi: number): number;
  causeList(v: unknown, path: string): string[];
  regex(v: unknown, path: string): string;
}

const TLB_COUNTERS = ['hits', 'misses', 'flushes', 'walkReads'];

function tlbCounter(c: string, path: string, err: Parsers['err']): string {
  if (!TLB_COUNTERS.includes(c)) throw err(path, `unknown TLB counter '${c}' (${TLB_COUNTERS.join(', ')})`);
  return c;
}

/**
 * A register's name as the machine knows it (r0-r15, sp, fp), checked when the file is read.
 * `system`: a system register (cr3, ksp...) too: a register check reads it at the end, but the
 * user-pointers rule reads the caller's general registers at its syscall.
 */
function register(v: unknown, path: string, p: Parsers, system = false): string {
  const name = p.str(v, path);
  if (isa.registerNumber(name) !== undefined || (system && isa.sysRegByName(name))) return name;
  const sys = system ? `, or a system register: ${isa.SYSTEM_REGISTERS.map((r) => r.name).join(', ')}` : '';
  throw p.err(path, `unknown register '${name}' (r0-r15, sp, fp${sys})`);
}

function parseBody(kind: (typeof KINDS)[number], v: unknown, at: string, p: Parsers): CheckBody {
  const obj = (x: unknown): Json => {
    if (!isObj(x)) throw p.err(at, 'expected an object');
    return x;
  };
  const optNum = (o: Json, k: string) => (o[k] === undefined ? undefined : p.num(o[k], `${at}.${k}`));
  switch (kind) {
    case 'output': {
      if (typeof v === 'string') return { type: 'output', equals: v, contains: [], notContains: [] };
      const o = obj(v);
      const b = {
        type: 'output' as const,
        equals: o.equals === undefined ? undefined : p.str(o.equals, `${at}.equals`),
        contains: o.contains === undefined ? [] : p.strs(o.contains, `${at}.contains`),
        notContains: o.notContains === undefined ? [] : p.strs(o.notContains, `${at}.notContains`),
        matches: o.matches === undefined ? undefined : p.regex(o.matches, `${at}.matches`),
      };
      if (b.equals === undefined && !b.contains.length && !b.notContains.length && b.matches === undefined) throw p.err(at, 'give equals, contains, notContains or matches');
      return b;
    }
    case 'exitCode':
      return { type: 'exitCode', equals: p.num(v, at) };
    case 'register': {
      const o = obj(v);
      return { type: 'register', name: register(o.name, `${at}.name`, p, true), equals: p.num(o.equals, `${at}.equals`) };
    }
    case 'memory': {
      const o = obj(v);
      const atv = typeof o.at === 'number' ? p.int(o.at, `${at}.at`, 0, 0xffffffff) : p.str(o.at, `${at}.at`);
      const size = o.size === undefined ? 4 : p.num(o.size, `${at}.size`);
      if (size !== 1 && size !== 4) throw p.err(`${at}.size`, 'must be 1 or 4');
      return { type: 'memory', at: atv, equals: p.num(o.equals, `${at}.equals`), size, physical: o.physical === true };
    }
    case 'transitions': {
      const o = obj(v);
      const ring = (k: string) => (o[k] === undefined ? undefined : p.int(o[k], `${at}.${k}`, 0, 3));
      const count = (k: string) => (o[k] === undefined ? undefined : p.int(o[k], `${at}.${k}`, 0, Number.MAX_SAFE_INTEGER));
      const b = { type: 'transitions' as const, cause: p.causeList(o.cause, `${at}.cause`), fromRing: ring('fromRing'), toRing: ring('toRing'), count: count('count'), atLeast: count('atLeast'), atMost: count('atMost') };
      if (b.count === undefined && b.atLeast === undefined && b.atMost === undefined) throw p.err(at, 'give count, atLeast or atMost');
      // count with a bound would judge by one and ignore the other: which did the teacher mean?
      if (b.count !== undefined && (b.atLeast !== undefined || b.atMost !== undefined)) throw p.err(at, 'give count, or atLeast and/or atMost, not both');
      return b;
    }
    case 'tlb': {
      const o = obj(v);
      return { type: 'tlb', counter: tlbCounter(p.str(o.counter, `${at}.counter`), `${at}.counter`, p.err), equals: p.num(o.equals, `${at}.equals`) };
    }
    case 'instructions':
      return { type: 'instructions', atMost: p.int(obj(v).atMost, `${at}.atMost`, 1, Number.MAX_SAFE_INTEGER) };
    case 'assert': {
      const o = obj(v);
      if (o.equals === undefined && o.cause === undefined) throw p.err(at, 'give "equals" or "cause"');
      return { type: 'assert', match: p.regex(o.match, `${at}.match`), equals: optNum(o, 'equals'), cause: o.cause === undefined ? undefined : p.causeList(o.cause, `${at}.cause`) };
    }
    case 'os': {
      const o: Json = typeof v === 'string' ? { kind: v } : obj(v);
      const k = p.str(o.kind, `${at}.kind`);
      if (k === 'tlb-coherent' || k === 'no-privileged-in-ring3') return { type: 'os', rule: { kind: k } };
      if (k === 'user-pointers') {
        const syscall = p.str(o.syscall, `${at}.syscall`);
        if (isa.syscallNumber(syscall) === undefined && !/^\d+$/.test(syscall)) throw p.err(`${at}.syscall`, `unknown system call '${syscall}' (a name such as write or read, or a number)`);
        return { type: 'os', rule: { kind: k, syscall, buffer: register(o.buffer, `${at}.buffer`, p), length: register(o.length, `${at}.length`, p), write: o.write === true } };
      }
      throw p.err(`${at}.kind`, `unknown OS rule '${k}' (tlb-coherent, no-privileged-in-ring3, user-pointers)`);
    }
  }
}

/** 'ko', 'ko-KR' (VS Code), 'ko_KR.UTF-8' (LANG). */
export function isKorean(locale: string | undefined): boolean {
  return /^ko([-_.]|$)/i.test(locale ?? '');
}

/** The check file in the student's language: Korean names, hints and title where it gives them (ids stay). */
export function localized(spec: CheckFile, locale: string | undefined): CheckFile {
  if (!isKorean(locale)) return spec;
  return {
    ...spec,
    title: spec.koTitle ?? spec.title,
    checks: spec.checks.map((c) => ({ ...c, name: c.ko?.name ?? c.name, hint: c.ko?.hint ?? c.hint })),
  };
}
