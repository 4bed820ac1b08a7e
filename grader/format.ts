/** A grade report as text for a student, as JSON, and as JUnit XML (for CI and classroom graders). */
import type { CheckResult, GradeReport, Where } from './grade';
import { hex32 as hex } from '../emulator/isa/hex';


/** The report's own words, in English and Korean (the check file gives the checks' names and hints). */
const WORDS = {
  en: {
    pass: 'PASS', fail: 'FAIL', skip: 'SKIP', why: 'why:     ', expected: 'expected:', actual: 'actual:  ', where: 'where:   ', hint: 'hint:    ', hidden: 'hidden check', model: ' (model solution)',
    at: (n: number) => `instruction ${n} of the run`, run: 'run', hiddenInput: " with a hidden check's input", input: (s: string) => ` with input ${s}`,
    steps: (n: number) => `${n} instruction${n === 1 ? '' : 's'}`, ended: { poweroff: 'powered off', limit: 'instruction limit reached', 'triple-fault': 'triple fault', deadlock: 'halted forever (nothing can wake it)' } as Record<string, string>,
    score: (s: number, m: number) => `score ${s}/${m}`, all: 'all checks passed', failed: (f: number, n: number) => `${f} of ${n} checks failed`,
  },
  ko: {
    pass: '통과', fail: '실패', skip: '보류', why: '이유:', expected: '기대:', actual: '실제:', where: '위치:', hint: '힌트:', hidden: '숨은 검사', model: ' (모범 답안)',
    at: (n: number) => `실행의 ${n}번째 명령어`, run: '실행', hiddenInput: ' (숨은 검사의 입력)', input: (s: string) => ` (입력 ${s})`,
    steps: (n: number) => `명령어 ${n}개`, ended: { poweroff: '전원 꺼짐', limit: '명령어 한도에 도달', 'triple-fault': '트리플 폴트', deadlock: '영원히 멈춤 (깨울 것이 없음)' } as Record<string, string>,
    score: (s: number, m: number) => `점수 ${s}/${m}`, all: '모든 검사 통과', failed: (f: number, n: number) => `검사 ${n}개 중 ${f}개 실패`,
  },
};
type Words = (typeof WORDS)['en'];

export function whereText(w: Where, display: (p: string) => string, words: Words = WORDS.en): string {
  const src = w.file ? `${display(w.file)}:${w.line}` : `pc ${hex(w.pc)}`;
  return `${src}, ${words.at(w.icount + 1)} (pc ${hex(w.pc)})`;
}

function line(c: CheckResult, display: (p: string) => string, reveal = false, w: Words = WORDS.en): string[] {
  const pts = `${c.earned}/${c.points}`;
  const name = c.hidden && !reveal ? w.hidden : c.name;
  if (c.passed) return [`  ${w.pass}  ${name}  (${pts})`];
  // Why it was not reached names only the required checks (a hidden one as hidden): shown for every check.
  if (c.notReached) return [`  ${w.skip}  ${name}  (${pts})`, `        ${w.why} ${c.actual}`];
  const out = [`  ${w.fail}  ${name}  (${pts})`];
  if (!c.hidden || reveal) {
    if (c.expected !== undefined) out.push(`        ${w.expected} ${c.expected}`);
    if (c.actual !== undefined) out.push(`        ${w.actual} ${c.actual}`);
    if (c.where) out.push(`        ${w.where} ${whereText(c.where, display, w)}`);
  }
  if (c.hint) out.push(`        ${w.hint} ${c.hint}`);
  return out;
}

/** `reveal` shows hidden checks in full (for the teacher). */
export function formatText(r: GradeReport, display: (p: string) => string, reveal = false): string {
  const w = r.locale === 'ko' ? WORDS.ko : WORDS.en;
  const out = [`${r.title}${r.usedSolution ? w.model : ''}: ${display(r.program)}`];
  for (const e of r.errors) out.push(e);
  for (const run of r.runs) {
    const input = run.hidden && !reveal ? w.hiddenInput : run.stdin ? w.input(JSON.stringify(run.stdin)) : '';
    out.push(`  ${w.run}${input}: ${w.steps(run.instructions)}, ${w.ended[run.stop] ?? run.stop}`);
  }
  for (const c of r.checks) out.push(...line(c, display, reveal, w));
  const failed = r.checks.filter((c) => !c.passed).length;
  out.push(`${w.score(r.score, r.maxScore)}: ${failed === 0 ? w.all : w.failed(failed, r.checks.length)}`);
  return out.join('\n') + '\n';
}

/** What a student may see of a report (hidden checks keep their expectations to themselves). */
export function publicReport(r: GradeReport): GradeReport {
  return {
    ...r,
    // A run only hidden checks use keeps its input to itself too.
    runs: r.runs.map((run) => (run.hidden ? { ...run, stdin: '' } : run)),
    checks: r.checks.map((c) => (c.hidden ? { id: c.id, name: 'hidden check', points: c.points, earned: c.earned, passed: c.passed, hidden: true, hint: c.hint, ...(c.notReached && { notReached: c.notReached, actual: c.actual }) } : c)),
  };
}

// Control characters are not allowed in XML 1.0: they are dropped.
// eslint-disable-next-line no-control-regex
const xml = (s: string) => s.replace(/[<>&"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[ch]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/**
 * JUnit tells a failure (the check ran and its assertion failed) from an error (the check could
 * not run): a program that does not assemble runs no check, so each is an error whose body holds
 * the assembler's messages (its first is the message CI tools show), and the suite's <system-err>
 * holds them once, as a compiler's output.
 */
export function formatJUnit(reports: GradeReport[], display: (p: string) => string): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  for (const r of reports) {
    const w = r.locale === 'ko' ? WORDS.ko : WORDS.en;
    const broken = r.errors.length > 0;
    const skipped = r.checks.filter((c) => c.notReached).length;
    const failed = r.checks.filter((c) => !c.passed).length - skipped;
    out.push(`  <testsuite name="${xml(r.title)}" tests="${r.checks.length}" failures="${broken ? 0 : failed}" errors="${broken ? failed : 0}"${skipped ? ` skipped="${skipped}"` : ''}>`);
    out.push(`    <properties><property name="score" value="${r.score}"/><property name="maxScore" value="${r.maxScore}"/></properties>`);
    for (const c of publicReport(r).checks) {
      out.push(`    <testcase classname="${xml(r.title)}" name="${xml(c.hidden ? `hidden: ${c.id}` : c.name)}">`);
      // The check's points, for partial credit (docs/exercises.md): earned and at most.
      out.push(`      <properties><property name="points" value="${c.earned}"/><property name="maxPoints" value="${c.points}"/></properties>`);
      // Not reached: it did not count, because a check it requires failed (that one is the failure).
      if (c.notReached) out.push(`      <skipped message="${xml(c.actual ?? '')}"/>`);
      else if (!c.passed) {
        const body = [...line(c, display, false, w).slice(1).map((l) => l.trim()), ...r.errors].join('\n');
        if (broken) out.push(`      <error message="${xml(r.errors[0])}" type="assembly">${xml(body)}</error>`);
        else out.push(`      <failure message="${xml(c.hint ?? c.name)}">${xml(body)}</failure>`);
      }
      out.push('    </testcase>');
    }
    if (broken) out.push(`    <system-err>${xml(r.errors.join('\n'))}</system-err>`);
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
