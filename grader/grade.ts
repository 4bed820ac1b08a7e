/**
 * Grade a program against a check file: assemble once, run once per distinct run option
 * (stdin, instruction limit), then judge every check. No Node or vscode here: files come
 * through a host, so the CLI and the extension share this code.
 */
import { DEFAULT_MEMORY, isa, Machine } from '../emulator';
import { assemble, AssembleResult, SourceHost } from '../language/assembler';
import { outsideMemory } from '../language/memoryFit';
import { graded, Place, ruleKey, RunResult } from './run';
import { CheckFile, CheckFileError, CheckSpec, isKorean, localized, OsRule, parseCheckFile } from './spec';
import { hex32 as hex } from '../emulator/isa/hex';
import { vocabulary, type Translate } from '../emulator/isa/vocabulary';
import { currentLocale, k, setLocale, translator } from '../language/l10n';

export interface Where {
  /** Instructions completed before the failing one: a debugger runs this many to stop on it. */
  icount: number;
  pc: number;
  /** Absolute path of the source file and 1-based line, when the step maps to source. */
  file?: string;
  line?: number;
}

export interface CheckResult {
  id: string;
  name: string;
  points: number;
  earned: number;
  passed: boolean;
  hidden: boolean;
  expected?: string;
  actual?: string;
  hint?: string;
  where?: Where;
  /** The ids of the checks this one requires that did not pass: it was not reached (`actual` says why). */
  notReached?: string[];
}

export interface GradeReport {
  title: string;
  checkFile: string;
  program: string;
  /** The file the student edits (absolute), if the check file names one. */
  student?: string;
  usedSolution: boolean;
  /** The student's language the report was made for ('ko' or undefined): formatText words its frame in it. */
  locale?: 'ko';
  score: number;
  maxScore: number;
  passed: boolean;
  /** Assembly errors, formatted `file:line:col: error: message` (no run happened then). */
  errors: string[];
  /** `hidden`: every check of that run is hidden (a student's report does not show its input). */
  runs: { stdin: string; stop: string; instructions: number; hidden: boolean }[];
  checks: CheckResult[];
}

export interface GradeHost extends SourceHost {
  /** Make `p` relative for messages. */
  display(p: string): string;
}

export interface GradeOptions {
  /** Run the check file's model solution in place of the student's file(s). */
  solution?: boolean;
  /** Extra replacements: absolute student path -> text (a mutated copy, an unsaved editor). */
  overlay?: Map<string, string>;
  /** The student's language ('ko', 'ko-KR'...): check names, hints and the title in it where the file gives them. */
  locale?: string;
}

const show = (s: string) => JSON.stringify(s);

/** The most of the output an excerpt shows (a flood without line breaks is one line). */
const EXCERPT_CHARS = 400;

/** The lines of `s` around position `i` (a whole console log is too long to read in a report), at most EXCERPT_CHARS of them around i. */
function excerpt(s: string, i: number): string {
  const lines = s.split('\n');
  let at = 0;
  let n = 0;
  while (n < lines.length - 1 && at + lines[n].length < i) at += lines[n++].length + 1;
  const from = Math.max(0, n - 2);
  const to = Math.min(lines.length, n + 2);
  let text = lines.slice(from, to).join('\n');
  let before = from > 0;
  let after = to < lines.length;
  if (text.length > EXCERPT_CHARS) {
    const first = lines.slice(from, n).reduce((k, l) => k + l.length + 1, 0);
    const start = Math.max(0, Math.min(first + (i - at) - EXCERPT_CHARS / 2, text.length - EXCERPT_CHARS));
    before ||= start > 0;
    after ||= start + EXCERPT_CHARS < text.length;
    text = text.slice(start, start + EXCERPT_CHARS);
  }
  return `${before ? '…' : ''}${show(text)}${after ? '…' : ''}`;
}

export function gradeFile(checkPath: string, host: GradeHost, opts: GradeOptions = {}): GradeReport {
  const text = host.readFile(checkPath);
  if (text === undefined) throw new Error(`${host.display(checkPath)}: cannot read the check file`);
  const spec = parseCheckFile(text, host.display(checkPath));
  return grade(spec, checkPath, host, opts);
}

export function grade(original: CheckFile, checkPath: string, host: GradeHost, opts: GradeOptions = {}): GradeReport {
  const spec = localized(original, opts.locale);
  const abs = (rel: string) => host.resolve(checkPath, rel);
  const programPath = abs(spec.program);
  const fileError = (field: string, message: string) => new CheckFileError(`${host.display(checkPath)}: ${field}: ${message}`);
  // The teacher's files: a missing one is the check file's mistake (exit 2), not a student's failure.
  if (host.readFile(programPath) === undefined) throw fileError('program', `cannot read '${spec.program}'`);
  // A mistyped student file would send every "where" and the editor to a file that is not there.
  if (spec.student !== undefined && !opts.overlay?.has(abs(spec.student)) && host.readFile(abs(spec.student)) === undefined) throw fileError('student', `cannot read '${spec.student}'`);
  const redirect = new Map<string, string>();
  if (opts.solution) {
    if (!Object.keys(spec.solution).length) throw new Error(`${host.display(checkPath)}: no "solution" to run`);
    for (const [student, model] of Object.entries(spec.solution)) {
      if (host.readFile(abs(student)) === undefined) throw fileError(`solution.${student}`, `no student file '${student}' (a typo? the key names the file the solution replaces)`);
      // The course copied out of the extension has no solutions: say where a teacher finds them.
      if (host.readFile(abs(model)) === undefined) throw fileError(`solution.${student}`, `cannot read the model solution '${model}' (the course the extension gives students leaves the solutions out: a teacher finds them in the Ringside repository, exercises/*/solution/)`);
      redirect.set(abs(student), abs(model));
    }
  }
  const overlayHost: SourceHost = {
    resolve: host.resolve,
    readFile: (f) => opts.overlay?.get(f) ?? host.readFile(redirect.get(f) ?? f),
  };
  const locale = spec !== original || isKorean(opts.locale) ? 'ko' : undefined;
  const program = inLocale(locale, () => assemble(programPath, overlayHost));
  for (const student of redirect.keys()) {
    if (program.ok && !program.files.includes(student)) throw fileError(`solution.${host.display(student)}`, `the program never includes this file: the solution would not replace anything`);
  }
  const report: GradeReport = {
    title: spec.title,
    checkFile: checkPath,
    program: programPath,
    student: spec.student === undefined ? undefined : abs(spec.student),
    usedSolution: !!opts.solution,
    locale,
    score: 0,
    maxScore: spec.checks.reduce((s, c) => s + c.points, 0),
    passed: false,
    errors: [],
    runs: [],
    checks: [],
  };
  // The expected and actual texts in the report's language (the check file's names and hints are in spec).
  const say = translator(report.locale);
  // A program placed outside the machine's memory cannot be loaded: told at its line, as an assembly error is.
  const outside = program.ok ? inLocale(report.locale, () => outsideMemory(program, DEFAULT_MEMORY)) : undefined;
  if (!program.ok || outside) {
    const errors = outside ? [outside] : program.diagnostics.filter((d) => d.severity === 'error');
    report.errors = errors.map((d) => `${host.display(d.file)}:${d.line + 1}:${d.col + 1}: error: ${d.message}`);
    const actual = outside ? k('the program does not fit in memory') : k('the program does not assemble');
    report.checks = spec.checks.map((c) => ({ id: c.id, name: c.name, points: c.points, earned: 0, passed: false, hidden: c.hidden, actual: say(actual), hint: c.hint }));
    return report;
  }

  // One run per distinct run option; each run watches what its checks need.
  const groups = new Map<string, CheckSpec[]>();
  for (const c of spec.checks) {
    const k = JSON.stringify(c.run);
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  const byCheck = new Map<CheckSpec, RunResult>();
  for (const checks of groups.values()) {
    const rules: OsRule[] = [];
    const seen = new Set<string>();
    for (const c of checks) {
      if (c.body.type !== 'os' || seen.has(ruleKey(c.body.rule))) continue;
      seen.add(ruleKey(c.body.rule));
      rules.push(c.body.rule);
    }
    const words = checks.flatMap((c) => (c.body.type === 'memory' ? [memoryPa(c.body.at, c.body.physical, program, undefined)] : [])).filter((a) => a >= 0).map((a) => a & ~3);
    const r = graded(program, checks[0].run, rules, words, say);
    report.runs.push({ stdin: checks[0].run.stdin, stop: r.stop, instructions: r.machine.icount, hidden: checks.every((c) => c.hidden) });
    for (const c of checks) byCheck.set(c, r);
  }
  const where = (p: Place | undefined): Where | undefined => {
    if (!p) return undefined;
    const loc = p.pa >= 0 ? program.sourceMap.lookup(p.pa) : undefined;
    return { icount: p.icount, pc: p.pc, file: loc?.file, line: loc ? loc.line + 1 : undefined };
  };
  for (const c of spec.checks) {
    const r = byCheck.get(c)!;
    const j = judge(c, r, program, say);
    report.checks.push({ id: c.id, name: c.name, points: c.points, earned: j.passed ? c.points : 0, passed: j.passed, hidden: c.hidden, expected: j.expected, actual: j.actual, hint: j.passed ? undefined : c.hint, where: j.passed ? undefined : where(j.place ?? r.end) });
  }
  notReached(report, spec, say);
  report.score = report.checks.reduce((s, c) => s + c.earned, 0);
  report.passed = report.checks.every((c) => c.passed);
  return report;
}

/**
 * A check whose required checks did not all pass scores nothing and says which (a hidden one
 * by its hidden name): "the kernel never faults" holds for a kernel that does nothing yet.
 */
function notReached(report: GradeReport, spec: CheckFile, say: Translate): void {
  const result = new Map(report.checks.map((c) => [c.id, c]));
  const settled = new Set<string>();
  // Requirements first (the parser refused circles): a check not reached fails those requiring it.
  const settle = (s: CheckSpec): boolean => {
    const c = result.get(s.id)!;
    if (settled.has(s.id)) return c.passed;
    settled.add(s.id);
    const unmet = s.requires.filter((id) => !settle(spec.checks.find((x) => x.id === id)!));
    if (unmet.length) {
      const names = unmet.map((id) => (result.get(id)!.hidden ? say(k('a hidden check')) : `'${result.get(id)!.name}'`));
      Object.assign(c, { passed: false, earned: 0, expected: undefined, where: undefined, hint: undefined, notReached: unmet, actual: say(k('not reached: first {0} must pass'), names.join(', ')) });
    }
    return c.passed;
  };
  for (const s of spec.checks) settle(s);
}

/** The assembler words its errors in the session's language (l10n `t`): the report's while it assembles, then the session's again. */
function inLocale<T>(locale: string | undefined, f: () => T): T {
  const before = currentLocale();
  setLocale(locale);
  try {
    return f();
  } finally {
    setLocale(before);
  }
}

/** Physical address of a memory check's word: a label (its link address, translated as the machine translates now) or a number. */
function memoryPa(at: string | number, physical: boolean, program: AssembleResult, m: Machine | undefined): number {
  let va: number;
  if (typeof at === 'number') va = at;
  else {
    const s = program.symbols.get(at);
    if (!s) return -1;
    va = s.value;
  }
  if (physical) return va >>> 0;
  if (!m) {
    // Before the run: the load address of the label's bytes, from the source map.
    for (const e of program.sourceMap.entries()) if (va >>> 0 >= e.la && va >>> 0 < e.la + e.size) return e.pa + (va - e.la);
    return -1;
  }
  const pa = m.translate(va);
  return pa >= 0 ? pa : memoryPa(at, physical, program, undefined);
}

interface Judgement {
  passed: boolean;
  expected?: string;
  actual?: string;
  place?: Place;
}

function stopWords(r: RunResult, say: Translate): string {
  const words = vocabulary(say);
  switch (r.stop) {
    case 'poweroff':
      return words.stop({ kind: 'power-off', code: r.machine.exitCode });
    case 'limit':
      return say(k('did not power off within {0} instructions'), r.machine.icount);
    default:
      return words.stop(r.machine.stopCause) || r.stop;
  }
}

function causeTotal(byCause: Record<string, number>, causes: string[]): number {
  let t = 0;
  for (const c of causes) for (const [k, n] of Object.entries(byCause)) if (c.endsWith('*') ? k.startsWith(c.slice(0, -1)) : k === c) t += n;
  return t;
}

/** `say`: the expected and actual texts in the report's language. */
function judge(c: CheckSpec, r: RunResult, program: AssembleResult, say: Translate): Judgement {
  const m = r.machine;
  const b = c.body;
  const out = m.outputText();
  // The step that wrote output byte `i` (the first wrong one).
  const wroteByte = (i: number) => r.outputMarks.find((x) => x.length > i)?.place;
  switch (b.type) {
    case 'output': {
      if (b.equals !== undefined && out !== b.equals) {
        let i = 0;
        while (i < out.length && i < b.equals.length && out[i] === b.equals[i]) i++;
        return { passed: false, expected: excerpt(b.equals, i), actual: excerpt(out, i), place: wroteByte(i) };
      }
      for (const s of b.contains) if (!out.includes(s)) return { passed: false, expected: say(k('output containing {0}'), show(s)), actual: excerpt(out, out.length) };
      for (const s of b.notContains) {
        const i = out.indexOf(s);
        if (i >= 0) return { passed: false, expected: say(k('output without {0}'), show(s)), actual: excerpt(out, i), place: wroteByte(i) };
      }
      if (b.matches !== undefined && !new RegExp(b.matches, 'm').test(out)) return { passed: false, expected: say(k('output matching /{0}/'), b.matches), actual: excerpt(out, out.length) };
      return { passed: true };
    }
    case 'exitCode': {
      const ok = r.stop === 'poweroff' && m.exitCode === b.equals;
      // Worded by the vocabulary, as the actual stop is: one sentence for both.
      return { passed: ok, expected: vocabulary(say).stop({ kind: 'power-off', code: b.equals }), actual: stopWords(r, say) };
    }
    case 'register': {
      const n = isa.registerNumber(b.name);
      if (n !== undefined) {
        const v = m.register(n);
        return { passed: v >>> 0 === b.equals >>> 0, expected: `${b.name} = ${b.equals} (${hex(b.equals)})`, actual: `${b.name} = ${v} (${hex(v)})`, place: r.regWrites[n] };
      }
      const sr = isa.sysRegByName(b.name);
      if (!sr) return { passed: false, expected: say(k("a register named '{0}'"), b.name), actual: say(k('no such register')) };
      const v = m.sysReg(sr.id);
      return { passed: v >>> 0 === b.equals >>> 0, expected: `${b.name} = ${hex(b.equals)}`, actual: `${b.name} = ${hex(v)}` };
    }
    case 'memory': {
      const pa = memoryPa(b.at, b.physical, program, m);
      const name = typeof b.at === 'number' ? hex(b.at) : b.at;
      // A missing label is the student's to define (the exercise may ask for it), so a failure, said plainly.
      if (pa < 0) return { passed: false, expected: `[${name}] = ${b.equals}`, actual: typeof b.at === 'string' && !program.symbols.has(b.at) ? say(k("the program defines no label '{0}' (the check reads the word at it)"), b.at) : say(k('{0} is not mapped'), name) };
      const bytes = m.readPhysical(pa, b.size);
      const v = b.size === 1 ? bytes[0] : (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
      return { passed: v === b.equals >>> 0 || (b.size === 1 && v === (b.equals & 0xff)), expected: `[${name}] = ${b.equals}`, actual: `[${name}] = ${v}`, place: r.storeAt.get(pa & ~3) };
    }
    case 'transitions': {
      let n = 0;
      let last: Place | undefined;
      for (let i = 0; i < m.eventCount; i++) {
        const e = m.event(i);
        if (b.fromRing !== undefined && e.fromCpl !== b.fromRing) continue;
        if (b.toRing !== undefined && e.toCpl !== b.toRing) continue;
        if (!causeTotal({ [e.cause]: 1 }, b.cause)) continue;
        n++;
        // The step that caused the first transition too many: the event's icount counts it.
        if ((b.count !== undefined && n === b.count + 1) || (b.atMost !== undefined && n === b.atMost + 1)) last ??= { icount: e.icount - 1, pc: e.pcBefore, pa: -1 };
      }
      const ok = (b.count === undefined || n === b.count) && (b.atLeast === undefined || n >= b.atLeast) && (b.atMost === undefined || n <= b.atMost);
      const range = b.count !== undefined ? `${b.count}` : b.atLeast !== undefined && b.atMost !== undefined ? `${b.atLeast}..${b.atMost}` : b.atLeast !== undefined ? say(k('at least {0}'), b.atLeast) : say(k('at most {0}'), b.atMost!);
      const words = vocabulary(say);
      const filter = `${b.cause.join(say(k(' or ')))}${b.fromRing !== undefined ? ` ${say(k('from {0}'), words.where(0, b.fromRing))}` : ''}${b.toRing !== undefined ? ` ${say(k('to {0}'), words.where(0, b.toRing))}` : ''}`;
      return { passed: ok, expected: `${range} × ${filter}`, actual: `${n} × ${filter}`, place: last ? withPa(m, last) : undefined };
    }
    case 'tlb': {
      const v = (m.summary().tlb as unknown as Record<string, number>)[b.counter];
      return { passed: v === b.equals, expected: `TLB ${b.counter} ${b.equals}`, actual: `TLB ${b.counter} ${v}` };
    }
    case 'instructions':
      return { passed: r.stop === 'poweroff' && m.icount <= b.atMost, expected: say(k('powers off within {0} instructions'), b.atMost), actual: r.stop === 'poweroff' ? say(k('{0} instructions'), m.icount) : stopWords(r, say) };
    case 'assert': {
      const mm = new RegExp(b.match, 'm').exec(out);
      if (!mm || mm[1] === undefined) return { passed: false, expected: say(k('output matching /{0}/'), b.match), actual: excerpt(out, out.length) };
      const v = Number(mm[1]);
      const want = b.equals ?? causeTotal(m.summary().byCause, b.cause!);
      return { passed: v === want, expected: `${want}${b.cause ? ` ${say(k("(the machine's count of {0})"), b.cause.join(', '))}` : ''}`, actual: `${v}` };
    }
    case 'os': {
      const v = r.violations.get(ruleKey(b.rule))!;
      if (v.count === 0) return { passed: true };
      const first = v.first[0];
      const more = v.count === 2 ? ` ${say(k('(and 1 more time)'))}` : v.count > 2 ? ` ${say(k('(and {0} more times)'), v.count - 1)}` : '';
      return { passed: false, expected: say(RULE_WORDS[b.rule.kind]), actual: `${first.message}${more}`, place: first.place };
    }
  }
}

/** Event places know the pc before the transition (virtual); translate it now if still mapped. */
function withPa(m: Machine, p: Place): Place {
  return { ...p, pa: p.pa >= 0 ? p.pa : m.translate(p.pc) };
}

const RULE_WORDS: Record<OsRule['kind'], string> = {
  'tlb-coherent': k('no page is used through a stale TLB entry (a changed PTE is followed by invlpg or a cr3 write before the page is used)'),
  'no-privileged-in-ring3': k('ring 3 never reaches a privileged instruction'),
  'user-pointers': k("the kernel touches the caller's buffer only where ring 3 itself may"),
};
