/**
 * The TextMate grammar (language/r32asm.tmLanguage.json) holds its own copy of the mnemonics, the
 * system registers and the VMCS fields, by highlighting class: held to the instruction table here,
 * so a new instruction fails in the unit tests until the grammar has it (test/lsp/grammar.test.ts
 * then tokenizes it).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { INSTRUCTIONS, InstructionDef, ring0Only } from '../../emulator/isa/table';
import { SYSTEM_REGISTERS, VMCS_FIELDS } from '../../emulator/isa/registers';

// Compiled to out/test/unit: the grammar is in the source tree.
const ROOT = path.resolve(__dirname, '../../..');
const grammar = JSON.parse(fs.readFileSync(path.join(ROOT, 'language/r32asm.tmLanguage.json'), 'utf8'));

/** The grammar's scope for an instruction: VMX, privileged, control transfer, or plain. */
function scopeFor(d: InstructionDef): string {
  if (d.group === 'VMX') return 'keyword.other.instruction.vmx.r32asm';
  if (ring0Only(d)) return 'keyword.other.instruction.privileged.r32asm';
  if (d.flow !== 'next') return 'keyword.control.instruction.r32asm';
  return 'keyword.other.instruction.r32asm';
}

/** Names as the grammar writes an alternation: longest first, then alphabetical. */
const alternation = (names: string[]) => [...names].sort((a, b) => b.length - a.length || a.localeCompare(b)).join('|');

/** The plain-word alternations `(a|b|c)` of a pattern, in order. */
const groups = (pattern: string) => [...pattern.matchAll(/\(([a-z0-9_]+(?:\|[a-z0-9_]+)*)\)/g)].map((m) => m[1]);

describe('TextMate grammar: its lists are the instruction table\'s', () => {
  it('every mnemonic and alias, in the capture group of its scope (VMX, privileged, control transfer, plain)', () => {
    const rule = grammar.repository.instruction;
    const found = groups(rule.begin);
    const scopes = Object.keys(rule.beginCaptures).map((k) => rule.beginCaptures[k].name as string);
    assert.strictEqual(found.length, scopes.length, rule.begin);
    scopes.forEach((scope, i) => {
      const want = alternation(INSTRUCTIONS.filter((d) => scopeFor(d) === scope).flatMap((d) => [d.mnemonic, ...d.aliases]));
      assert.strictEqual(alternation(found[i].split('|')), want, `${scope}: write (${want}) in language/r32asm.tmLanguage.json`);
    });
  });

  it('every system register and VMCS field', () => {
    const patterns = grammar.repository.operands.patterns as { match?: string; name?: string }[];
    const list = (name: string) => groups(patterns.find((p) => p.name === name)!.match!)[0];
    assert.strictEqual(alternation(list('variable.language.system-register.r32asm').split('|')), alternation(SYSTEM_REGISTERS.map((s) => s.name)));
    assert.strictEqual(alternation(list('support.constant.vmcs-field.r32asm').split('|')), alternation(VMCS_FIELDS.map((f) => f.name)));
  });
});
