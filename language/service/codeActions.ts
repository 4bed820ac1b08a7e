/**
 * Quick fixes: a misspelled mnemonic, directive, VMCS field or system register, an x86 habit
 * (language/x86.ts), operands the wrong way round, an undefined name (did you mean, create the
 * label, create a constant). Each one offered gives code that assembles without a new error:
 * a suggestion must take the operands written, and a name a layout value uses must be defined above it.
 */
import { CodeAction, CodeActionContext, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import { instructionByName } from '../../emulator/isa/table';
import { hex } from '../../emulator/isa/hex';
import { chooseForm, suggest } from '../forms';
import { assembleText } from '../assembler';
import type { SourceDocument } from './document';
import { Kind } from '../lineInfo';
import type { UnitAnalysis } from './unit';
import { t } from '../l10n';
import { X86_MOV_AS } from '../x86';

function fix(title: string, uri: string, edits: TextEdit[], diagnostic: Diagnostic, preferred = false): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: edits } }, isPreferred: preferred || undefined };
}

const quoted = (message: string) => [...message.matchAll(/'([^']+)'/g)].map((m) => m[1]);

function matchCase(written: string, word: string): string {
  return written === written.toUpperCase() && written !== written.toLowerCase() ? word.toUpperCase() : word;
}

/** Directives whose values decide the layout: they may use only symbols defined above them. */
const LAYOUT = new Set(['.org', '.space', '.align', '.ring']);

export function doCodeActions(a: UnitAnalysis, doc: SourceDocument, _range: Range, context: CodeActionContext): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of context.diagnostics) {
    if (d.source !== 'r32asm') continue;
    const line = d.range.start.line;
    if (line < 0 || line >= doc.lineCount) continue;
    const written = doc.lines[line].slice(d.range.start.character, d.range.end.character);
    const rewrite = (d.data as { rewrite?: { as: string; plus: string } } | undefined)?.rewrite;
    if (rewrite) {
      const fixed = x86Rewrite(doc, line, rewrite.as, rewrite.plus);
      if (fixed) out.push(fix(t("Change to '{0}'", fixed.text), doc.uri, fixed.edits, d, true));
    } else if (d.code === 'unknown-mnemonic' || d.code === 'unknown-directive') {
      const data = d.data as { suggestions?: string[] } | undefined;
      let candidates = data?.suggestions ?? quoted(d.message).slice(1);
      const stmt = doc.info(line).stmt;
      // `psuh r1`: `push`, not `pushf` or `sub`, which do not take one register.
      if (d.code === 'unknown-mnemonic' && stmt?.kind === 'instruction') candidates = candidates.filter((c) => fitsOperands(c, stmt.operands));
      // `.aling 8`: `.align`, not `.ring` (8 is no ring): the line, fixed, must assemble on its own (names it uses aside).
      const text = doc.lines[line];
      if (d.code === 'unknown-directive') candidates = candidates.filter((c) => c === '.include' || lineAssembles(text.slice(0, d.range.start.character) + c + text.slice(d.range.end.character)));
      candidates.forEach((c, i) => out.push(fix(t("Change to '{0}'", matchCase(written, c)), doc.uri, [TextEdit.replace(d.range, matchCase(written, c))], d, i === 0)));
    } else if (d.code === 'operand-kind') {
      // `vmread r1, guest_cpc`: the VMCS fields (or system registers) nearest the name written.
      const data = d.data as { suggestions?: string[]; swap?: number[] } | undefined;
      (data?.suggestions ?? []).forEach((c, i) => out.push(fix(t("Change to '{0}'", c), doc.uri, [TextEdit.replace(d.range, c)], d, i === 0)));
      // `st r1, [r2]`: the two operands exchanged.
      const w = data?.swap;
      if (w?.length === 4) {
        const text = doc.lines[line];
        const at = (a: number, b: number) => Range.create(line, a, line, b);
        out.push(fix(t('Swap the two operands'), doc.uri, [TextEdit.replace(at(w[0], w[1]), text.slice(w[2], w[3])), TextEdit.replace(at(w[2], w[3]), text.slice(w[0], w[1]))], d, true));
      }
    } else if (d.code === 'undefined-symbol') {
      const name = (d.data as { name?: string } | undefined)?.name ?? written;
      if (!name) continue;
      // `mov r1, cr2` (x86's mov of a control register): the R32 instruction that takes these operands.
      const stmt = doc.info(line).stmt;
      if (stmt?.kind === 'instruction' && stmt.mnemonic.toLowerCase() === 'mov') {
        const fixed = X86_MOV_AS.map((as) => x86Rewrite(doc, line, as, '')).find((f) => f !== undefined);
        if (fixed) {
          out.push(fix(t("Change to '{0}'", fixed.text), doc.uri, fixed.edits, d, true));
          continue;
        }
      }
      out.push(...undefinedFixes(a, doc, d, name));
    }
  }
  return out;
}

/**
 * An x86 habit rewritten (language/x86.ts): the mnemonic `as` (in the case written) and `plus` after
 * the operands (`inc r1`: `add r1, 1`); undefined unless the line then assembles.
 */
function x86Rewrite(doc: SourceDocument, line: number, as: string, plus: string): { edits: TextEdit[]; text: string } | undefined {
  const stmt = doc.info(line).stmt;
  if (stmt?.kind !== 'instruction') return undefined;
  const text = doc.lines[line];
  const name = stmt.nameSpan;
  const end = stmt.operands.length ? stmt.operands[stmt.operands.length - 1].end : name.end;
  const word = matchCase(text.slice(name.start, name.end), as);
  const edits = [TextEdit.replace(Range.create(line, name.start, line, name.end), word), ...(plus ? [TextEdit.insert({ line, character: end }, plus)] : [])];
  const statement = word + text.slice(name.end, end) + plus;
  return lineAssembles(text.slice(0, name.start) + statement + text.slice(end)) ? { edits, text: statement } : undefined;
}

/** A directive's line, alone, has no error but names defined elsewhere. */
function lineAssembles(text: string): boolean {
  return assembleText(`${text}\n`, 'fix.rasm').diagnostics.every((x) => x.severity !== 'error' || x.code === 'undefined-symbol');
}

function fitsOperands(mnemonic: string, operands: Parameters<typeof chooseForm>[1]): boolean {
  const def = instructionByName(mnemonic);
  return def !== undefined && chooseForm(def, operands).ok;
}

function undefinedFixes(a: UnitAnalysis, doc: SourceDocument, d: Diagnostic, name: string): CodeAction[] {
  const out: CodeAction[] = [];
  const line = d.range.start.line;
  const eol = doc.eol;
  const scope = a.files.get(doc.uri)?.scopeAt[line] ?? '';
  const layout = LAYOUT.has(doc.info(line).directive);
  // Names as they can be written here: globals, and this scope's locals as `.x`; for a layout value, only those above it.
  const visible: string[] = [];
  for (const [s, sym] of a.symbols) {
    if (layout && sym.file === doc.uri && sym.line >= line) continue;
    if (s.startsWith(scope + '.') && s.indexOf('.', scope.length + 1) < 0) visible.push(s.slice(scope.length));
    else if (!s.startsWith('.')) visible.push(s);
  }
  for (const c of suggest(name, visible)) if (c !== name) out.push(fix(t("Change to '{0}'", c), doc.uri, [TextEdit.replace(d.range, c)], d, out.length === 0));
  const n = doc.lineCount;
  const lastLine = doc.lines[n - 1];
  const atEnd = (text: string) => TextEdit.insert({ line: n - 1, character: lastLine.length }, `${lastLine ? eol : ''}${text}${eol}`);
  if (name.startsWith('.')) {
    // A label below a layout value would be defined later than its use: no label to create.
    if (layout) return out;
    // A local label goes before the next global label (the end of its scope).
    let at = n;
    for (let i = line + 1; i < n; i++) {
      if (doc.info(i).labels.some((l) => !l.local)) {
        at = i;
        break;
      }
    }
    out.push(fix(t("Create local label '{0}'", name), doc.uri, [at < n ? TextEdit.insert({ line: at, character: 0 }, `${name}:${eol}`) : atEnd(`${name}:`)], d));
    return out;
  }
  if (!layout) out.push(fix(t("Create label '{0}'", name), doc.uri, [atEnd(`${name}:`)], d));
  // A constant goes after the last top-of-file `.equ` (or at the top), and never below its use.
  let at = 0;
  for (let i = 0; i < Math.min(n, line); i++) {
    const info = doc.info(i);
    if (info.directive === '.equ') at = i + 1;
    else if (info.kind === Kind.Instruction) break;
  }
  const equ = `.equ ${name}, ${constantValue(a, doc.info(line).directive)}`;
  out.push(fix(t("Create constant '{0}' ({1})", name, equ), doc.uri, [TextEdit.insert({ line: at, character: 0 }, equ + eol)], d));
  return out;
}

/** A value the use accepts: `.align 0` is not a power of two, and `.org 0` may overlap the code already there. */
function constantValue(a: UnitAnalysis, directive: string): string {
  if (directive === '.align') return '4';
  if (directive !== '.org') return '0';
  let end = 0;
  for (const s of a.segments) if (s.size > 0) end = Math.max(end, s.load + s.size);
  // Past every region, on a page boundary.
  return hex(Math.min(Math.ceil(end / 0x1000) * 0x1000, 0xfffff000));
}
