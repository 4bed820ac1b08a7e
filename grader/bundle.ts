// The check engine as the extension loads it (dist/grader.js): only when checks run, so the
// emulator and the assembler stay out of the activation bundle.
export { gradeFile } from './grade';
export { nodeGradeHost } from './node';
export type { GradeReport, CheckResult } from './grade';
