import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { INSTRUCTIONS } from '../../emulator/isa/table';
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
