/** Hover: the instruction table, registers, symbols and system calls, explained where the cursor is. */
import type { Hover, Position } from 'vscode-languageserver-types';
import { sysRegByName, vmcsFieldByName } from '../../emulator/isa/registers';
import { directiveMarkdown, fieldMarkdown, formEncoding, formSyntax, hex32, instructionMarkdown, registerMarkdown, sysRegMarkdown } from './isaDocs';
import { namesRegister, nodeAt } from './at';
import type { SourceDocument } from './document';
import { ringCheck, ringZeroNote } from './ringChecks';
import type { UnitAnalysis, UnitSymbol } from './unit';
import { encodedWords, syscallAfter, syscallBefore, SyscallInfo } from './values';
import { fullName } from '../layout';
import { t } from '../l10n';

const range = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });

export function symbolMarkdown(sym: UnitSymbol, relPath: (uri: string) => string): string {
  const where = t('defined at {0}', `${relPath(sym.file)}:${sym.line + 1}`);
  if (sym.kind === 'equ') {
    if (!sym.resolved) return `**${sym.name}** — ${t('constant (no value: see its diagnostic)')}\n\n${where}`;
    const v = sym.value;
    const signed = v | 0;
    return `**${sym.name}** — ${t('constant')} = \`${hex32(v)}\` (${v}${signed < 0 ? ` / ${signed}` : ''})\n\n${where}`;
  }
  const load = sym.load !== undefined && sym.load !== sym.value ? ', ' + t('loaded at physical {0}', `\`${hex32(sym.load)}\``) : '';
  return `**${sym.name}** — ${t('label at {0}', `\`${hex32(sym.value)}\``)}${load}\n\n${where}`;
}

function syscallText(s: SyscallInfo | undefined): string {
  if (!s) return '';
  return s.name ? `\n\n**${t('System call {0}: {1}', s.number, `\`${s.name}\``)}** ${t('(r0 set on line {0})', s.movLine + 1)}` : `\n\n${t('System call {0} (no name in the Linux x86-64 table the samples follow)', s.number)}`;
}

export function doHover(a: UnitAnalysis, doc: SourceDocument, pos: Position, relPath: (uri: string) => string): Hover | null {
  if (pos.line < 0 || pos.line >= doc.lineCount) return null;
  const info = doc.info(pos.line);
  const at = nodeAt(info, pos.character);
  if (!at) return null;
  const line = pos.line;
  const md = (value: string, start: number, end: number): Hover => ({ contents: { kind: 'markdown', value }, range: range(line, start, end) });
  switch (at.kind) {
    case 'mnemonic': {
      const def = info.def;
      if (!def) return null;
      let text = instructionMarkdown(def);
      if (info.formOk && info.form) {
        const idx = def.forms.indexOf(info.form);
        const words = encodedWords(a, doc.uri, line, info);
        text += `\n\n**${t('This line:')}** \`${formSyntax(def, idx)}\` — ${formEncoding(info.form)}${words ? `: \`${words.map((w) => hex32(w)).join(' ')}\`` : ''}`;
      }
      const ring = a.files.get(doc.uri)?.ringAt[line] ?? -1;
      if (ring >= 0) {
        const problem = ringCheck(def, at.stmt, ring);
        const note = !problem && (ring === 0 || ring === 3) ? ringZeroNote(def, at.stmt, ring) : undefined;
        text += `\n\n**${t('At {0}:', `\`.ring ${ring}\``)}** ${problem ? problem.message : note ?? t('runs normally.')}`;
      }
      if (def.mnemonic === 'syscall') text += syscallText(syscallBefore(a, doc, line));
      return md(text, at.stmt.nameSpan.start, at.stmt.nameSpan.end);
    }
    case 'directive': {
      const text = directiveMarkdown(at.stmt.name);
      return text ? md(text, at.stmt.nameSpan.start, at.stmt.nameSpan.end) : null;
    }
    case 'label': {
      const facts = a.files.get(doc.uri);
      let scope = line > 0 ? facts?.scopeAt[line - 1] ?? '' : '';
      for (const l of info.labels) {
        if (l === at.label) break;
        if (!l.local) scope = l.name;
      }
      const sym = a.symbols.get(at.label.local ? scope + at.label.name : at.label.name);
      return sym ? md(symbolMarkdown(sym, relPath), at.label.start, at.label.end) : null;
    }
    case 'sym': {
      const sym = a.symbols.get(fullName(at.name, a.files.get(doc.uri)?.scopeAt[line] ?? ''));
      if (!sym) return null;
      return md(symbolMarkdown(sym, relPath) + syscallText(syscallAfter(a, doc, line)), at.start, at.end);
    }
    case 'num': {
      const v = at.value >>> 0;
      const text = `\`${v}\` = \`${hex32(v)}\`${v > 0 && v < 256 && v >= 32 && v < 127 ? ` = \`'${String.fromCharCode(v)}'\`` : ''}`;
      return md(text + syscallText(syscallAfter(a, doc, line)), at.start, at.end);
    }
    case 'reg':
      return md(registerMarkdown(at.reg), at.start, at.end);
    case 'sreg':
    case 'field': {
      // Where a value goes (`mov r3, status`, `.word guest_pc`), such a name is a label, as the assembler reads it.
      if (!namesRegister(info, at.stmt, at.index, at.kind)) {
        const sym = a.symbols.get(fullName(at.op.text, a.files.get(doc.uri)?.scopeAt[line] ?? ''));
        return sym ? md(symbolMarkdown(sym, relPath), at.op.start, at.op.end) : null;
      }
      if (at.kind === 'sreg') {
        const s = sysRegByName(at.op.name);
        return s ? md(sysRegMarkdown(s), at.op.start, at.op.end) : null;
      }
      const f = vmcsFieldByName(at.op.name);
      return f ? md(fieldMarkdown(f), at.op.start, at.op.end) : null;
    }
    case 'string': {
      const inc = a.files.get(doc.uri)?.includes.find((x) => x.line === line);
      return inc ? md(t('Includes {0}', `\`${relPath(inc.target)}\``), at.op.start, at.op.end) : null;
    }
    default:
      return null;
  }
}
