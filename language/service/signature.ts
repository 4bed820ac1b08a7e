/** Signature help: the operand forms of the instruction under the cursor, the current operand highlighted. */
import type { Position, SignatureHelp, SignatureInformation } from 'vscode-languageserver-types';
import { instructionByName } from '../../emulator/isa/table';
import { accepts } from '../forms';
import { DIRECTIVE_DOCS, formSyntax } from './isaDocs';
import type { SourceDocument } from './document';
import { lineContext } from './lineContext';
import { t } from '../l10n';

/** Parameter ranges within `label` for each comma-separated operand after the mnemonic. */
function parameters(label: string, head: string): { label: [number, number] }[] {
  const out: { label: [number, number] }[] = [];
  let i = head.length + 1;
  if (label.length <= head.length) return out;
  for (const part of label.slice(i).split(', ')) {
    out.push({ label: [i, i + part.length] });
    i += part.length + 2;
  }
  return out;
}

export function doSignatureHelp(doc: SourceDocument, pos: Position): SignatureHelp | null {
  if (pos.line < 0 || pos.line >= doc.lineCount) return null;
  const text = doc.lines[pos.line];
  const ctx = lineContext(text, Math.min(pos.character, text.length));
  if (ctx.comment || !ctx.head) return null;
  const head = ctx.head.text.toLowerCase();
  if (head.startsWith('.')) {
    const d = DIRECTIVE_DOCS[head];
    if (!d) return null;
    const label = d.syntax;
    return { signatures: [{ label, documentation: t(d.doc), parameters: parameters(label, head) }], activeSignature: 0, activeParameter: ctx.index };
  }
  const def = instructionByName(head);
  if (!def) return null;
  const signatures: SignatureInformation[] = def.forms.map((_, i) => {
    const label = formSyntax({ ...def, mnemonic: ctx.head!.text }, i);
    return { label, documentation: def.summary, parameters: parameters(label, ctx.head!.text) };
  });
  const stmt = doc.info(pos.line).stmt;
  const typed = stmt && stmt.kind === 'instruction' ? stmt.operands.filter((o) => o.end < ctx.wordStart) : [];
  let active = def.forms.findIndex((f) => f.operands.length > ctx.index && typed.slice(0, ctx.index).every((o, i) => accepts(f.operands[i], o, true)));
  if (active < 0) active = Math.max(0, def.forms.findIndex((f) => f.operands.length > ctx.index));
  return { signatures, activeSignature: active, activeParameter: ctx.index };
}
