/**
 * Whether an assembled program fits a machine's memory, said at the first line that does not:
 * `ringside run`, the debugger's launch and the grader check with this before loading.
 */
import { hex32 } from '../emulator/isa/hex';
import type { AsmDiagnostic, AssembleResult } from './asmTypes';
import { t } from './l10n';

/** The line whose bytes lie past `memorySize`, as an error (`setting`: where the student sets the size, if they can); undefined when all fit. */
export function outsideMemory(program: AssembleResult, memorySize: number, setting?: string): AsmDiagnostic | undefined {
  const outside = program.sourceMap.entries().find((e) => e.pa + e.size > memorySize);
  if (!outside) return undefined;
  const message =
    setting === undefined
      ? t("this line's bytes are at physical {0}, outside the machine's {1} of memory (place it lower with .org)", hex32(outside.pa >>> 0), sizeText(memorySize))
      : t("this line's bytes are at physical {0}, outside the machine's {1} of memory (place it lower with .org, or give {2} a larger size)", hex32(outside.pa >>> 0), sizeText(memorySize), setting);
  return { file: outside.file, line: outside.line, col: 0, endLine: outside.line, endCol: 0, severity: 'error', message, code: 'outside-memory' };
}

/** A memory size as a student would say it: 16 MiB, 1.5 MiB, 64 KiB (sizes are multiples of 4 KiB). */
function sizeText(bytes: number): string {
  return bytes >= 1 << 20 ? `${+(bytes / (1 << 20)).toFixed(3)} MiB` : `${bytes >> 10} KiB`;
}
