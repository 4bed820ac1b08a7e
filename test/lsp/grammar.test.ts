/** The TextMate grammar (highlighting before the server starts), tokenized by vscode-textmate with the real Oniguruma. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as oniguruma from 'vscode-oniguruma';
import { IGrammar, INITIAL, parseRawGrammar, Registry, StateStack } from 'vscode-textmate';
import { INSTRUCTIONS } from '../../emulator/isa/table';
import { SYSTEM_REGISTERS, VMCS_FIELDS } from '../../emulator/isa/registers';
import { assembleText } from '../../language/assembler';

const root = path.join(__dirname, '../../..');
const grammarPath = path.join(root, 'language/r32asm.tmLanguage.json');

let wasm: Promise<void> | undefined;
async function loadGrammar(): Promise<IGrammar> {
  wasm ??= (async () => {
    const bytes = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  })();
  await wasm;
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s: string[]) => new oniguruma.OnigScanner(s), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope: string) => (scope === 'source.r32asm' ? parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null),
  });
  return (await registry.loadGrammar('source.r32asm'))!;
}

interface Tok {
  text: string;
  scope: string;
}
/** Tokens of each line, with the innermost scope. */
function tokenize(g: IGrammar, text: string): Tok[][] {
  let state: StateStack = INITIAL;
  return text.split('\n').map((line) => {
    const r = g.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scope: t.scopes[t.scopes.length - 1] }));
  });
}
/** The scope of the token that is exactly `text` on a line. */
const scopeOf = (line: Tok[], text: string) => line.find((t) => t.text === text)?.scope ?? `(no token '${text}' in ${JSON.stringify(line)})`;

describe('lsp: TextMate grammar', () => {
  let g: IGrammar;
  before(async () => {
    g = await loadGrammar();
  });

  it('highlights the fixture', () => {
    const L = tokenize(g, fs.readFileSync(path.join(root, 'test/lsp/fixtures/grammar.rasm'), 'utf8'));
    assert.strictEqual(scopeOf(L[0], '; grammar fixture: one construct per line (line numbers are used by grammar.test.ts)'), 'comment.line.semicolon.r32asm');
    assert.strictEqual(scopeOf(L[1], '.equ'), 'keyword.other.directive.r32asm');
    assert.strictEqual(scopeOf(L[1], 'SIZE'), 'variable.other.symbol.r32asm');
    assert.strictEqual(scopeOf(L[1], '0x40'), 'constant.numeric.hex.r32asm');
    assert.strictEqual(scopeOf(L[2], 'start'), 'entity.name.function.label.r32asm');
    assert.strictEqual(scopeOf(L[2], '.loop'), 'entity.name.label.local.r32asm');
    assert.strictEqual(scopeOf(L[2], 'nop'), 'keyword.other.instruction.r32asm');
    assert.deepStrictEqual(["'", 'A'].map((t) => scopeOf(L[3], t)), ['punctuation.definition.character.begin.r32asm', 'constant.character.r32asm']);
    assert.deepStrictEqual(['[', 'r1', '+', 'SIZE', '*', '4', ']'].map((t) => scopeOf(L[4], t)), [
      'punctuation.definition.memory.begin.r32asm',
      'variable.language.register.r32asm',
      'keyword.operator.r32asm',
      'variable.other.symbol.r32asm',
      'keyword.operator.r32asm',
      'constant.numeric.decimal.r32asm',
      'punctuation.definition.memory.end.r32asm',
    ]);
    assert.strictEqual(scopeOf(L[5], 'wrsr'), 'keyword.other.instruction.privileged.r32asm');
    assert.strictEqual(scopeOf(L[5], 'cr3'), 'variable.language.system-register.r32asm');
    assert.strictEqual(scopeOf(L[6], 'vmwrite'), 'keyword.other.instruction.vmx.r32asm');
    assert.strictEqual(scopeOf(L[6], 'guest_pc'), 'support.constant.vmcs-field.r32asm');
    assert.strictEqual(scopeOf(L[7], 'jnz'), 'keyword.control.instruction.r32asm');
    assert.strictEqual(scopeOf(L[7], '.loop'), 'variable.other.symbol.r32asm');
    assert.strictEqual(scopeOf(L[8], '\\n'), 'constant.character.escape.r32asm');
    assert.strictEqual(scopeOf(L[8], '\\q'), 'invalid.illegal.escape.r32asm');
    // An unterminated string ends with its line: the next line is highlighted normally.
    assert.strictEqual(scopeOf(L[9], 'unterminated'), 'string.quoted.double.r32asm');
    assert.strictEqual(scopeOf(L[10], 'mov'), 'keyword.other.instruction.r32asm');
    assert.strictEqual(scopeOf(L[10], 'r16'), 'variable.other.symbol.r32asm', 'r16 is not a register');
    assert.strictEqual(scopeOf(L[10], '0b1010'), 'constant.numeric.binary.r32asm');
    assert.strictEqual(scopeOf(L[11], 'bogus'), 'invalid.illegal.unknown-mnemonic.r32asm');
    assert.strictEqual(scopeOf(L[12], 'add'), 'entity.name.function.label.r32asm', 'a label may be named like a mnemonic');
    assert.strictEqual(scopeOf(L[12], '; "not a string'), 'comment.line.semicolon.r32asm');
    assert.strictEqual(scopeOf(L[13], 'MOV'), 'keyword.other.instruction.r32asm');
    assert.strictEqual(scopeOf(L[13], 'R3'), 'variable.language.register.r32asm');
    assert.strictEqual(scopeOf(L[13], '0o17'), 'constant.numeric.octal.r32asm');
    assert.strictEqual(scopeOf(L[14], 'int'), 'keyword.control.instruction.r32asm');
  });

  it('highlights the hello sample with nothing marked invalid', () => {
    const text = fs.readFileSync(path.join(root, 'samples/hello/hello.rasm'), 'utf8');
    const L = tokenize(g, text);
    const invalid = L.flatMap((l, i) => l.filter((t) => t.scope.startsWith('invalid')).map((t) => `${i + 1}: ${t.text}`));
    assert.deepStrictEqual(invalid, []);
    const iret = L.findIndex((l) => l.some((t) => t.text === 'iret'));
    assert.strictEqual(scopeOf(L[iret], 'iret'), 'keyword.other.instruction.privileged.r32asm');
  });

  it('knows every mnemonic, alias, system register and VMCS field of the instruction table', () => {
    for (const d of INSTRUCTIONS) {
      const want = d.group === 'VMX' ? 'vmx.' : d.privileged === 'cpl0' || d.privileged === 'cpl0-but-status' ? 'privileged.' : '';
      for (const name of [d.mnemonic, ...d.aliases]) {
        const [line] = tokenize(g, `    ${name} r1`);
        assert.match(scopeOf(line, name), new RegExp(`^keyword\\.(other|control)\\.instruction\\.${want.replace('.', '\\.')}r32asm$`), name);
      }
    }
    for (const s of SYSTEM_REGISTERS) assert.strictEqual(scopeOf(tokenize(g, `    rdsr r1, ${s.name}`)[0], s.name), 'variable.language.system-register.r32asm');
    for (const f of VMCS_FIELDS) assert.strictEqual(scopeOf(tokenize(g, `    vmread r1, ${f.name}`)[0], f.name), 'support.constant.vmcs-field.r32asm');
    for (let r = 0; r < 16; r++) assert.strictEqual(scopeOf(tokenize(g, `    push r${r}`)[0], `r${r}`), 'variable.language.register.r32asm');
  });

  it('language configuration: line comments, brackets, a word pattern that keeps local labels whole', () => {
    const conf = JSON.parse(fs.readFileSync(path.join(root, 'language/language-configuration.json'), 'utf8'));
    assert.strictEqual(conf.comments.lineComment, ';');
    assert.deepStrictEqual(conf.brackets, [['[', ']'], ['(', ')']]);
    const word = new RegExp(conf.wordPattern, 'g');
    assert.deepStrictEqual('jnz kmain.loop ; .done 0x1F'.match(word), ['jnz', 'kmain.loop', '.done', '0x1F']);
  });

  it('snippets: unique prefixes, and each body assembles once its placeholders take their defaults', () => {
    const snippets = JSON.parse(fs.readFileSync(path.join(root, 'language/snippets.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
    const prefixes = Object.values(snippets).map((s) => s.prefix);
    assert.strictEqual(new Set(prefixes).size, prefixes.length);
    for (const [name, s] of Object.entries(snippets)) {
      const text = s.body
        .join('\n')
        .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
        .replace(/\$\{\d+:([^}]*)\}/g, '$1')
        .replace(/\$\d+/g, '');
      const errors = assembleText(text).diagnostics.filter((d) => d.severity === 'error' && d.code !== 'undefined-symbol');
      assert.deepStrictEqual(errors.map((d) => d.message), [], `${name}:\n${text}`);
    }
  });
});
