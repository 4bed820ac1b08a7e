export { grade, gradeFile } from './grade';
export type { CheckResult, GradeHost, GradeOptions, GradeReport, Where } from './grade';
export { parseCheckFile, CheckFileError, localized } from './spec';
export type { CheckFile, CheckSpec, CheckBody, OsRule } from './spec';
export { formatText, formatJUnit, publicReport, whereText } from './format';
