/** Markdown for hovers and completion, rendered from the instruction table and the register tables. */
import { Form, InstructionDef, OperandKind } from '../../emulator/isa/table';
import { SysRegDef, VmcsFieldDef } from '../../emulator/isa/registers';
import { k, t } from '../l10n';

const PRIVILEGE: Record<InstructionDef['privileged'], string> = {
  none: k('Unprivileged: runs at any CPL.'),
  cpl0: k('Privileged: CPL 0 only; at CPL 1-3 it traps with #GP (trap 13).'),
  'cpl0-but-status': k('Privileged (#GP, trap 13, at CPL 1-3) except `rdsr rd, status`, which runs at any CPL.'),
  'vmx-root': k('VMX root mode at CPL 0 only; elsewhere trap 6 (#UD), except `vmcall` in non-root mode.'),
};

function sensitivity(def: InstructionDef): string {
  if (!def.sensitive) return t('Not sensitive.');
  const kind = def.sensitive === 'control' ? t('control-sensitive (changes privileged state)') : t('behaviour-sensitive (its result depends on privileged state)');
  const hole = def.privileged === 'none' || def.privileged === 'cpl0-but-status';
  return hole
    ? t('Sensitive, {0}, but {1}: a **Popek-Goldberg violation** — deprivileged (ring 1-2) it does not trap, so classic trap-and-emulate misses it. VT-x does not exit on it either: it closes the hole by running the guest kernel in non-root ring 0, where it acts on the guest\'s own state.', kind, def.privileged === 'none' ? t('not privileged') : t('not privileged for `status`'))
    : t('Sensitive, {0}, and privileged: trap-and-emulate catches it.', kind);
}

/** Where each operand kind goes (codec.ts encode); registers fill A, then B (formEncoding counts them). */
const FIELD_PLACES: Record<OperandKind, string> = {
  reg: 'register in A',
  imm: 'immediate in word 1',
  mreg: 'base register in B',
  mdisp: 'base register in B, displacement in word 1',
  mabs: 'address in word 1',
  sreg: 'system-register id in X',
  field: 'VMCS field id in X',
  port: 'port in X',
  vector: 'vector in X',
};

export function formSyntax(def: InstructionDef, index: number): string {
  const s = def.syntax[index] ?? '';
  return s ? `${def.mnemonic} ${s}` : def.mnemonic;
}

export function formEncoding(f: Form): string {
  let regs = 0;
  const ops = f.operands.map((k) => (k === 'reg' && regs++ > 0 ? 'register in B' : FIELD_PLACES[k])).join('; ');
  return `opcode 0x${hexDigits(f.op, 2)}, ${f.words === 1 ? '1 word' : '2 words'}${ops ? ` (${ops})` : ''}`;
}

export function instructionMarkdown(def: InstructionDef): string {
  const out: string[] = [];
  out.push(`**${def.mnemonic}**${def.aliases.length ? ' ' + t('(also {0})', def.aliases.map((a) => `\`${a}\``).join(', ')) : ''} — ${t(def.summary)}`);
  out.push('```r32asm\n' + def.forms.map((_, i) => formSyntax(def, i)).join('\n') + '\n```');
  out.push(def.doc);
  const inVm = def.privileged === 'cpl0' || def.privileged === 'cpl0-but-status' ? t('In a VM (non-root mode, guest ring 0):') : t('In a VM (non-root mode):');
  out.push(`**${t('Privilege:')}** ${t(PRIVILEGE[def.privileged])}  \n**${t('Sensitivity:')}** ${sensitivity(def)}  \n**${inVm}** ${def.nonRoot}${def.flagsNote ? `  \n**${t('Flags:')}** ${t(def.flagsNote)}` : def.setsFlags ? `  \n**${t('Flags:')}** ${t('sets Z N C V.')}` : ''}`);
  out.push(`**${t('Encoding:')}**\n` + def.forms.map((f, i) => `- \`${formSyntax(def, i)}\`: ${formEncoding(f)}`).join('\n'));
  return out.join('\n\n');
}

export function sysRegMarkdown(s: SysRegDef): string {
  return `**${s.name}** — system register (id ${s.id})\n\n${s.doc}\n\nRead with \`rdsr rd, ${s.name}\`${s.name === 'status' ? ' (at any CPL)' : ' (CPL 0)'}${s.name === 'status' ? '; never written whole' : `, written with \`wrsr ${s.name}, rs\` (CPL 0)`}.`;
}

export function fieldMarkdown(f: VmcsFieldDef): string {
  return `**${f.name}** — VMCS field ${f.id} (offset ${hex(f.id * 4)}), ${f.writable ? 'read/write' : 'read-only'}\n\n${f.doc}`;
}

export function registerMarkdown(n: number): string {
  const role = n === 15 ? ' — ' + t('`sp`, the stack pointer') : n === 14 ? ' — ' + t('`fp`, the frame pointer (by convention)') : n === 0 ? ' — ' + t('system call number and result') : n <= 5 ? ' — ' + t('system call argument {0}', n) : '';
  return `**r${n}**${role}\n\n${t('General register (32 bits).')}`;
}

export const DIRECTIVE_DOCS: Record<string, { syntax: string; doc: string }> = {
  '.org': { syntax: '.org LOAD[, LINK]', doc: k('Set the location counter: following bytes load at physical address LOAD and run at LINK (default LOAD); labels take LINK addresses. Regions must not overlap.') },
  '.word': { syntax: '.word e, ...', doc: k('Emit 32-bit little-endian words.') },
  '.byte': { syntax: '.byte e, ...', doc: k('Emit bytes (values -128..255).') },
  '.ascii': { syntax: '.ascii "s"', doc: k('Emit the bytes of a string (escapes `\\n \\t \\r \\0 \\\\ \\" \\\'`).') },
  '.asciz': { syntax: '.asciz "s"', doc: k('Emit a string followed by a zero byte.') },
  '.space': { syntax: '.space n', doc: k('Reserve n zero bytes (at most 16 MiB).') },
  '.align': { syntax: '.align n', doc: k('Pad with zeros to a multiple of n (a power of two). Labels just before it keep the unaligned address.') },
  '.equ': { syntax: '.equ NAME, expr', doc: k('Define a constant. It may refer to labels and constants defined later.') },
  '.include': { syntax: '.include "path"', doc: k('Assemble another file here (path relative to this file).') },
  '.ring': { syntax: '.ring n', doc: k('Declare the privilege level (0-3) the following code is meant to run at. The assembler ignores it; the editor warns about instructions that would trap or misbehave at that CPL.') },
};

export function directiveMarkdown(name: string): string | undefined {
  const d = DIRECTIVE_DOCS[name];
  return d && `**${name}** — ${t('directive')}\n\n\`\`\`r32asm\n${d.syntax}\n\`\`\`\n\n${t(d.doc)}`;
}

export { hex32 } from '../../emulator/isa/hex';
import { hex, hexDigits } from '../../emulator/isa/hex';
