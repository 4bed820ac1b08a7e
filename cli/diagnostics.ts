/** Assembling for the CLI: diagnostics as a compiler prints them, with file names as the student knows them. */
import * as path from 'path';
import { assemble, AssembleResult, AsmDiagnostic } from '../language/assembler';
import { formatDiagnostic } from '../language/formatDiagnostic';
import { nodeHost } from '../language/nodeHost';

/** Exit code of asm, disasm and run when the program has errors. */
const EXIT_ASSEMBLY = 1;
/** Exit code of a usage error or a file that cannot be read or written. */
export const EXIT_USAGE = 2;

const under = () => {
  const cwd = process.cwd();
  return cwd.endsWith(path.sep) ? cwd : cwd + path.sep;
};

/** A file's name for messages: relative to the working folder when it is inside it, else absolute (never `../..`). */
export function shownPath(file: string): string {
  const abs = path.resolve(file);
  const prefix = under();
  return abs.startsWith(prefix) ? abs.slice(prefix.length) : abs;
}

/** The same for paths inside a message (the first definition of a duplicate, an include's target). */
function shownText(message: string): string {
  return message.split(under()).join('');
}

/**
 * One problem as gcc says it: the error, then a note at each place it refers to. The second
 * report of a duplicate (at its first definition, for the editor) is left out: its note says it.
 */
export function formatForCli(diagnostics: readonly AsmDiagnostic[]): string {
  let text = '';
  for (const d of diagnostics) {
    if (d.echo) continue;
    text += shownText(formatDiagnostic(d, shownPath)) + '\n';
    for (const r of d.related ?? []) text += `${shownPath(r.file)}:${r.line + 1}:${r.col + 1}: note: ${shownText(r.message)}\n`;
  }
  return text;
}

/**
 * Assemble `file` and print its diagnostics: the result, or the exit code when it has errors
 * (EXIT_USAGE when the file itself cannot be read: a wrong name, a folder, a binary).
 */
export function assembleOrExit(file: string, err: (s: string) => void): AssembleResult | number {
  // Files named inside messages (a duplicate's first definition, an include) as in the locations.
  const res = assemble(path.resolve(file), { ...nodeHost, display: shownPath });
  const text = formatForCli(res.diagnostics);
  if (text) err(text);
  if (res.ok) return res;
  return res.diagnostics.some((d) => d.code === 'missing-file') ? EXIT_USAGE : EXIT_ASSEMBLY;
}
