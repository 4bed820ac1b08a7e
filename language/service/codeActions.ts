/** Quick fixes: a misspelled mnemonic or directive, an undefined name (did you mean, create the label, create a constant). */
import { CodeAction, CodeActionContext, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import { suggest } from '../forms';
import type { SourceDocument } from './document';
import { Kind } from '../lineInfo';
import type { UnitAnalysis } from './unit';
import { t } from '../l10n';

function fix(title: string, uri: string, edits: TextEdit[], diagnostic: Diagnostic, preferred = false): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: edits } }, isPreferred: preferred || undefined };
}

const quoted = (message: string) => [...message.matchAll(/'([^']+)'/g)].map((m) => m[1]);

function matchCase(written: string, word: string): string {
  return written === written.toUpperCase() && written !== written.toLowerCase() ? word.toUpperCase() : word;
}

export function doCodeActions(a: UnitAnalysis, doc: SourceDocument, _range: Range, context: CodeActionContext): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of context.diagnostics) {
    if (d.source !== 'r32asm') continue;
    const line = d.range.start.line;
    if (line < 0 || line >= doc.lineCount) continue;
    const written = doc.lines[line].slice(d.range.start.character, d.range.end.character);
    if (d.code === 'unknown-mnemonic' || d.code === 'unknown-directive') {
      const data = d.data as { suggestions?: string[] } | undefined;
      const candidates = data?.suggestions ?? quoted(d.message).slice(1);
      candidates.forEach((c, i) => out.push(fix(t("Change to '{0}'", matchCase(written, c)), doc.uri, [TextEdit.replace(d.range, matchCase(written, c))], d, i === 0)));
    } else if (d.code === 'undefined-symbol') {
      const name = (d.data as { name?: string } | undefined)?.name ?? written;
      if (!name) continue;
      out.push(...undefinedFixes(a, doc, d, name));
    }
  }
  return out;
}

function undefinedFixes(a: UnitAnalysis, doc: SourceDocument, d: Diagnostic, name: string): CodeAction[] {
  const out: CodeAction[] = [];
  const line = d.range.start.line;
  const scope = a.files.get(doc.uri)?.scopeAt[line] ?? '';
  // Names as they can be written here: globals, and this scope's locals as `.x`.
  const visible: string[] = [];
  for (const s of a.symbols.keys()) {
    if (s.startsWith(scope + '.') && s.indexOf('.', scope.length + 1) < 0) visible.push(s.slice(scope.length));
    else if (!s.startsWith('.')) visible.push(s);
  }
  for (const c of suggest(name, visible)) if (c !== name) out.push(fix(t("Change to '{0}'", c), doc.uri, [TextEdit.replace(d.range, c)], d, out.length === 0));
  const n = doc.lineCount;
  const lastLine = doc.lines[n - 1];
  if (name.startsWith('.')) {
    // A local label goes before the next global label (the end of its scope).
    let at = n;
    for (let i = line + 1; i < n; i++) {
      if (doc.info(i).labels.some((l) => !l.local)) {
        at = i;
        break;
      }
    }
    const edit = at < n ? TextEdit.insert({ line: at, character: 0 }, `${name}:\n`) : TextEdit.insert({ line: n - 1, character: lastLine.length }, `${lastLine ? '\n' : ''}${name}:\n`);
    out.push(fix(t("Create local label '{0}'", name), doc.uri, [edit], d));
    return out;
  }
  out.push(fix(t("Create label '{0}'", name), doc.uri, [TextEdit.insert({ line: n - 1, character: lastLine.length }, `${lastLine ? '\n' : ''}${name}:\n`)], d));
  // A constant goes after the last top-of-file `.equ` (or at the top).
  let at = 0;
  for (let i = 0; i < n; i++) {
    const info = doc.info(i);
    if (info.directive === '.equ') at = i + 1;
    else if (info.kind === Kind.Instruction) break;
  }
  out.push(fix(t("Create constant '{0}' ({1})", name, `.equ ${name}, 0`), doc.uri, [TextEdit.insert({ line: at, character: 0 }, `.equ ${name}, 0\n`)], d));
  return out;
}
