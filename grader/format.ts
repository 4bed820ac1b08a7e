/** A grade report as text for a student, as JSON, and as JUnit XML (for CI and classroom graders). */
import type { CheckResult, GradeReport, Where } from './grade';
import { hex32 as hex } from '../emulator/isa/hex';


export function whereText(w: Where, display: (p: string) => string): string {
  const src = w.file ? `${display(w.file)}:${w.line}` : `pc ${hex(w.pc)}`;
  return `${src}, instruction ${w.icount + 1} of the run (pc ${hex(w.pc)})`;
}

function line(c: CheckResult, display: (p: string) => string, reveal = false): string[] {
  const pts = `${c.earned}/${c.points}`;
  const name = c.hidden && !reveal ? 'hidden check' : c.name;
  if (c.passed) return [`  PASS  ${name}  (${pts})`];
  const out = [`  FAIL  ${name}  (${pts})`];
  if (!c.hidden || reveal) {
    if (c.expected !== undefined) out.push(`        expected: ${c.expected}`);
    if (c.actual !== undefined) out.push(`        actual:   ${c.actual}`);
    if (c.where) out.push(`        where:    ${whereText(c.where, display)}`);
  }
  if (c.hint) out.push(`        hint:     ${c.hint}`);
  return out;
}

/** `reveal` shows hidden checks in full (for the teacher). */
export function formatText(r: GradeReport, display: (p: string) => string, reveal = false): string {
  const out = [`${r.title}${r.usedSolution ? ' (model solution)' : ''}: ${display(r.program)}`];
  for (const e of r.errors) out.push(e);
  for (const run of r.runs) {
    const input = run.hidden && !reveal ? ' with a hidden check\'s input' : run.stdin ? ` with input ${JSON.stringify(run.stdin)}` : '';
    const ended = { poweroff: 'powered off', limit: 'instruction limit reached', 'triple-fault': 'triple fault', deadlock: 'halted forever (nothing can wake it)' }[run.stop] ?? run.stop;
    out.push(`  run${input}: ${run.instructions} instruction${run.instructions === 1 ? '' : 's'}, ${ended}`);
  }
  for (const c of r.checks) out.push(...line(c, display, reveal));
  const failed = r.checks.filter((c) => !c.passed).length;
  out.push(`score ${r.score}/${r.maxScore}: ${failed === 0 ? 'all checks passed' : `${failed} of ${r.checks.length} checks failed`}`);
  return out.join('\n') + '\n';
}

/** What a student may see of a report (hidden checks keep their expectations to themselves). */
export function publicReport(r: GradeReport): GradeReport {
  return {
    ...r,
    // A run only hidden checks use keeps its input to itself too.
    runs: r.runs.map((run) => (run.hidden ? { ...run, stdin: '' } : run)),
    checks: r.checks.map((c) => (c.hidden ? { id: c.id, name: 'hidden check', points: c.points, earned: c.earned, passed: c.passed, hidden: true, hint: c.hint } : c)),
  };
}

// Control characters are not allowed in XML 1.0: they are dropped.
// eslint-disable-next-line no-control-regex
const xml = (s: string) => s.replace(/[<>&"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[ch]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function formatJUnit(reports: GradeReport[], display: (p: string) => string): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  for (const r of reports) {
    const failures = r.checks.filter((c) => !c.passed).length;
    out.push(`  <testsuite name="${xml(r.title)}" tests="${r.checks.length}" failures="${failures}" errors="0">`);
    out.push(`    <properties><property name="score" value="${r.score}"/><property name="maxScore" value="${r.maxScore}"/></properties>`);
    for (const c of publicReport(r).checks) {
      out.push(`    <testcase classname="${xml(r.title)}" name="${xml(c.hidden ? `hidden: ${c.id}` : c.name)}">`);
      // The check's points, for partial credit (docs/exercises.md): earned and at most.
      out.push(`      <properties><property name="points" value="${c.earned}"/><property name="maxPoints" value="${c.points}"/></properties>`);
      if (!c.passed) {
        const body = line(c, display).slice(1).map((l) => l.trim()).join('\n');
        out.push(`      <failure message="${xml(c.hint ?? c.name)}">${xml(body)}</failure>`);
      }
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
