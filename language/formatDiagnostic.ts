import type { AsmDiagnostic } from './asmTypes';

/** `file:line:col: severity: message` with 1-based line and column, as compilers print them. */
export function formatDiagnostic(d: AsmDiagnostic, relativeTo?: (file: string) => string): string {
  const file = relativeTo ? relativeTo(d.file) : d.file;
  const sev = d.severity === 'info' ? 'note' : d.severity;
  return `${file}:${d.line + 1}:${d.col + 1}: ${sev}: ${d.message}`;
}
