/** `ringside check`: grade exercises against their check files; exit 0 only when every check passes. */
import * as fs from 'fs';
import { CheckFileError, formatJUnit, formatText, gradeFile, GradeReport, publicReport } from '../grader';
import { findCheckFiles, nodeGradeHost } from '../grader/node';
import { cannotWrite, splitArgs, UsageError } from './args';

type Write = (s: string) => void;

export const EXIT_CHECKS_FAILED = 1;

export function checkCommand(argv: string[], out: Write, err: Write): number {
  const { positional, options } = splitArgs(argv, ['junit'], ['json', 'solution', 'reveal'], 'check');
  if (positional.length > 1) throw new UsageError('check takes at most one EXERCISE-DIR or CHECKFILE');
  let files: string[];
  try {
    files = findCheckFiles(positional[0] ?? '.');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const host = nodeGradeHost();
  const reports: GradeReport[] = [];
  // A bad check file is said and makes the exit code 2, but the other exercises are still graded and reported.
  let badFile = false;
  for (const f of files) {
    try {
      // Names and hints in the student's language where the check file gives them (LANG=ko_KR.UTF-8).
      reports.push(gradeFile(f, host, { solution: options.has('solution'), locale: process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG }));
    } catch (e) {
      if (e instanceof CheckFileError || e instanceof Error) {
        err(`ringside: ${e.message}\n`);
        badFile = true;
        continue;
      }
      throw e;
    }
  }
  const shown = options.has('reveal') ? reports : reports.map(publicReport);
  if (options.has('json')) out(JSON.stringify(shown.length === 1 ? shown[0] : shown, null, 2) + '\n');
  else for (const r of shown) out(formatText(r, host.display, options.has('reveal')));
  if (!options.has('json') && reports.length > 1) {
    const score = reports.reduce((s, r) => s + r.score, 0);
    const max = reports.reduce((s, r) => s + r.maxScore, 0);
    out(`total ${score}/${max}\n`);
  }
  let unwritten = false;
  if (options.has('junit')) {
    const file = options.get('junit')!;
    try {
      fs.writeFileSync(file, formatJUnit(reports, host.display));
    } catch (e) {
      // Said after the results, which are still shown: the exit code says the report is missing.
      err(`ringside: ${cannotWrite(file, e).message}\n`);
      unwritten = true;
    }
  }
  if (badFile || unwritten) return 2;
  return reports.every((r) => r.passed) ? 0 : EXIT_CHECKS_FAILED;
}
