/** Signature help: the operand forms of the instruction under the cursor, the current operand highlighted. */
import type { Position, SignatureHelp, SignatureInformation } from 'vscode-languageserver-types';
import { Form, instructionByName } from '../../emulator/isa/table';
import { accepts } from '../forms';
import type { OperandNode } from '../parser';
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
    // An optional operand's brackets (`.org LOAD[, LINK]`) are not the operand's; a memory operand's (`[rb + disp]`) are.
    const open = part.endsWith('[') ? 1 : 0;
    const close = part.endsWith(']') && !part.includes('[') ? 1 : 0;
    out.push({ label: [i, i + part.length - open - close] });
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
    const params = parameters(label, head);
    // `.word e, ...`: every value after the first is the `...`.
    const variadic = label.endsWith('...');
    return { signatures: [{ label, documentation: t(d.doc), parameters: params }], activeSignature: 0, activeParameter: variadic ? Math.min(ctx.index, params.length - 1) : ctx.index };
  }
  const def = instructionByName(head);
  if (!def) return null;
  const signatures: SignatureInformation[] = def.forms.map((_, i) => {
    const label = formSyntax({ ...def, mnemonic: ctx.head!.text }, i);
    return { label, documentation: def.summary, parameters: parameters(label, ctx.head!.text) };
  });
  const stmt = doc.info(pos.line).stmt;
  const ops = stmt && stmt.kind === 'instruction' ? stmt.operands : [];
  const typed = ops.filter((o) => o.end < ctx.wordStart);
  // The operand at the cursor tells the form too (`mov r1, 2` is `mov rd, imm`), once it is more than the start of a register's name.
  const cur = ops[ctx.index];
  const col = Math.min(pos.character, text.length);
  const says = cur && cur.start <= col && !unfinished(cur, text, col) ? cur : undefined;
  const fits = (f: Form) => f.operands.length > ctx.index && typed.slice(0, ctx.index).every((o, i) => accepts(f.operands[i], o, true));
  let active = def.forms.findIndex((f) => fits(f) && (!says || accepts(f.operands[ctx.index], says, true)));
  // `st [r1 + `: the displacement is still to come, but the `+` says which form.
  if (cur?.kind === 'bad' && /^\[\s*[A-Za-z_]\w*\s*[-+]/.test(text.slice(cur.start, col))) {
    const disp = def.forms.findIndex((f) => fits(f) && f.operands[ctx.index] === 'mdisp');
    if (disp >= 0) active = disp;
  }
  if (active < 0) active = def.forms.findIndex(fits);
  if (active < 0) active = Math.max(0, def.forms.findIndex((f) => f.operands.length > ctx.index));
  return { signatures, activeSignature: active, activeParameter: ctx.index };
}

/** Whether the operand at the cursor could still become another kind: `r`, `s`, `f` (a register's name begun) or one that did not parse. */
function unfinished(op: OperandNode, text: string, col: number): boolean {
  if (op.kind === 'bad') return true;
  return op.kind === 'expr' && op.end === col && /^(r\d?|s|f)$/i.test(text.slice(op.start, op.end));
}
