import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { INSTRUCTIONS } from '../../emulator/isa/table';
import { VMCS_FIELDS } from '../../emulator/isa/registers';
import { generateIsaDoc } from '../../scripts/isa-doc';
import { hex, hexDigits } from '../../emulator/isa/hex';

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
    const named = [...text.matchAll(/`((?:debug-adapter|extension|emulator|scripts|test)\/[\w./-]+)`/g)].map((m) => m[1].replace(/\/$/, ''));
    assert.ok(named.length > 10);
    for (const p of named.filter((p) => !p.includes('<'))) assert.ok(fs.existsSync(path.join(ROOT, p)), `docs/architecture.md names ${p}`);
    // Paths named relative to debug-adapter/ in its section.
    for (const m of text.matchAll(/`((?:engine|views|dap|host)\/[\w.]*)`/g)) assert.ok(fs.existsSync(path.join(ROOT, 'debug-adapter', m[1])), `debug-adapter/${m[1]}`);
  });
});
