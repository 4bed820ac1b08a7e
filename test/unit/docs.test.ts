import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { INSTRUCTIONS, instructionByName, InstructionDef, ring0Only } from '../../emulator/isa/table';
import { VMCS_FIELDS } from '../../emulator/isa/registers';
import { generateIsaDoc } from '../../scripts/isa-doc';
import { hex, hexDigits } from '../../emulator/isa/hex';
import { CUSTOM_EVENTS, CUSTOM_REQUESTS } from '../../debug-adapter/protocol';
import { sources } from './helpers/sourceFiles';

// Compiled to out/test/unit: the docs are in the source tree.
const ROOT = path.resolve(__dirname, '../../..');

describe('docs/isa.md', () => {
  const choices = fs.readFileSync(path.join(ROOT, 'docs/isa-choices.md'), 'utf8');
  const generated = generateIsaDoc(choices);

  it('is up to date with the instruction table (run `npm run docs`)', () => {
    const committed = fs.readFileSync(path.join(ROOT, 'docs/isa.md'), 'utf8');
    assert.ok(committed === generated, 'docs/isa.md is stale: run `npm run docs` and commit the result');
  });

  it('documents every form, field offset, and ends with the hand-written choices', () => {
    for (const d of INSTRUCTIONS) {
      assert.ok(generated.includes(`#### \`${d.mnemonic}\``), d.mnemonic);
      d.forms.forEach((f, i) => assert.ok(generated.includes(`| 0x${hexDigits(f.op, 2)} |`), `${d.mnemonic} ${d.syntax[i]}`));
    }
    for (const f of VMCS_FIELDS) assert.ok(generated.includes(`| \`${f.name}\` | ${f.id} | ${hex(f.id * 4)} |`), f.name);
    assert.ok(generated.endsWith(choices));
    assert.ok(choices.includes("## Choices where the machine's description is silent"));
  });
});

describe('docs/architecture.md', () => {
  it('names only files and folders that exist (the recipes stay true when code moves)', () => {
    const text = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
    const named = [...text.matchAll(/`((?:debug-adapter|extension|emulator|language|cli|grader|samples|l10n|scripts|test)\/[\w./-]+)`/g)].map((m) => m[1].replace(/\/$/, ''));
    assert.ok(named.length > 10);
    for (const p of named.filter((p) => !p.includes('<'))) assert.ok(fs.existsSync(path.join(ROOT, p)), `docs/architecture.md names ${p}`);
    // Paths named relative to debug-adapter/ in its section.
    for (const m of text.matchAll(/`((?:engine|views|dap|host)\/[\w.]*)`/g)) assert.ok(fs.existsSync(path.join(ROOT, 'debug-adapter', m[1])), `debug-adapter/${m[1]}`);
  });
});

describe('docs/machine.md: its instruction lists are the table\'s', () => {
  const text = fs.readFileSync(path.join(ROOT, 'docs/machine.md'), 'utf8');
  const section = (n: number) => text.slice(text.indexOf(`\n## ${n}. `), text.indexOf(`\n## ${n + 1}. `));
  /** The rows of the markdown tables in `s` (header and rule left out), as cells. */
  const rows = (s: string) => s.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('|---')).slice(1).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  /** The mnemonics and aliases written in backticks in a cell. */
  const mnemonicsIn = (cell: string) => [...cell.matchAll(/`([^`]*)`/g)].flatMap((m) => m[1].split(/[\s,]+/)).filter((w) => /^[a-z]+$/.test(w) && instructionByName(w));
  const names = (ds: readonly InstructionDef[]) => ds.flatMap((d) => [d.mnemonic, ...d.aliases]).sort();

  it('the instructions that set the flags (section 3)', () => {
    const listed = /The arithmetic flags in `status` are set by `([^`]+)`/.exec(section(3))?.[1];
    const want = INSTRUCTIONS.filter((d) => d.setsFlags).map((d) => d.mnemonic).join(' ');
    assert.strictEqual(listed, want, `write \`${want}\``);
  });

  it('each group\'s row names the group\'s instructions (section 3)', () => {
    const table = rows(section(3));
    assert.deepStrictEqual(table.map((r) => r[0]).sort(), [...new Set(INSTRUCTIONS.map((d) => d.group))].sort());
    for (const [group, forms] of table) assert.deepStrictEqual(mnemonicsIn(forms).sort(), names(INSTRUCTIONS.filter((d) => d.group === group)), group);
  });

  it('the privilege table: who is privileged and how each is sensitive (section 4)', () => {
    const seen = new Set<string>();
    for (const [who, privileged, sensitive] of rows(section(4))) {
      const ds = who === 'VMX instructions' ? INSTRUCTIONS.filter((d) => d.group === 'VMX') : mnemonicsIn(who).map((w) => instructionByName(w)!);
      assert.ok(ds.length > 0, who);
      for (const d of ds) {
        seen.add(d.mnemonic);
        const p = privileged.replace(/\*/g, '');
        const ok = p === 'yes' ? ring0Only(d) : p === 'no' ? d.privileged === 'none' || d.privileged === 'cpl0-but-status' : d.privileged === 'vmx-root';
        assert.ok(ok, `${who}: "${privileged}" but ${d.mnemonic} is ${d.privileged}`);
        assert.strictEqual(sensitive, d.sensitive, `${who}: ${d.mnemonic}`);
      }
    }
    const missing = INSTRUCTIONS.filter((d) => (d.privileged !== 'none' || d.sensitive !== null) && !seen.has(d.mnemonic)).map((d) => d.mnemonic);
    assert.deepStrictEqual(missing, [], 'privileged or sensitive instructions missing from the table');
  });
});

describe('docs/debugger.md', () => {
  it("lists every custom request and event protocol.ts declares, and no other (section \"Ringside's own requests and events\")", () => {
    const text = fs.readFileSync(path.join(ROOT, 'docs/debugger.md'), 'utf8');
    const at = text.indexOf("\n## Ringside's own requests and events");
    assert.ok(at >= 0, 'the section is there');
    const section = text.slice(at + 1, text.indexOf('\n## ', at + 1));
    // Each is a list item that starts with its name.
    const listed = [...section.matchAll(/^- `(\w+)`/gm)].map((m) => m[1]).sort();
    assert.deepStrictEqual(listed, [...CUSTOM_REQUESTS, ...CUSTOM_EVENTS].map((r) => r.name).sort());
  });
});

describe('Comments in the code', () => {
  // A path from the repository's root (`debug-adapter/views/pageRuns.ts`, `language/l10n`): NAME and x are placeholders.
  const PATH = /(?<![\w./-])((?:emulator|language|debug-adapter|extension|scripts|test|cli|grader|samples|l10n|docs|media|exercises)\/[\w./-]*\w)/g;
  const placeholder = (p: string) => p.split('/').some((seg) => /^(NAME|x)(\.\w+)?$/.test(seg));

  it('name only files and folders that exist', () => {
    const missing: string[] = [];
    for (const part of ['emulator', 'language', 'debug-adapter', 'extension', 'scripts', 'test', 'cli', 'grader']) {
      for (const f of sources(path.join(ROOT, part))) {
        fs.readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
          const comment = /^\s*(\/\/|\/?\*)/.test(line) ? line : line.includes('// ') ? line.slice(line.indexOf('// ')) : '';
          for (const [, p] of comment.matchAll(PATH)) {
            if (!placeholder(p) && !fs.existsSync(path.join(ROOT, p)) && !fs.existsSync(path.join(ROOT, p + '.ts'))) missing.push(`${path.relative(ROOT, f)}:${i + 1}: ${p}`);
          }
        });
      }
    }
    assert.deepStrictEqual(missing, []);
  });
});
