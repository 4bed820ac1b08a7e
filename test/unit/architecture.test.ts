import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { builtinModules } from 'module';
import { ROOT, sources } from './helpers/sourceFiles';

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

const NODE_BUILTINS = new Set(builtinModules);

describe('Architecture: dependencies point one way', () => {
  it('emulator/ imports no vscode, DAP, LSP or Node built-in, and nothing outside emulator/', () => {
    const files = sources(path.join(ROOT, 'emulator'));
    assert.ok(files.length > 5);
    for (const f of files) {
      for (const spec of imports(f)) {
        const where = `${path.relative(ROOT, f)} imports '${spec}'`;
        assert.ok(!spec.startsWith('node:') && !NODE_BUILTINS.has(spec), where + ' (a Node built-in)');
        assert.ok(spec.startsWith('.'), where + ' (a package)');
        const target = path.resolve(path.dirname(f), spec);
        assert.ok(target.startsWith(path.join(ROOT, 'emulator')), where + ' (outside emulator/)');
      }
    }
  });

  it('the emulator uses no clock or randomness (determinism)', () => {
    for (const f of sources(path.join(ROOT, 'emulator'))) {
      const text = fs.readFileSync(f, 'utf8');
      assert.ok(!/Math\.random|Date\.now|new Date|performance\.now|setTimeout|setImmediate/.test(text), `${path.relative(ROOT, f)} uses time or randomness`);
    }
  });

  it('language/ depends only on emulator/isa among the project parts, and no vscode', () => {
    for (const f of sources(path.join(ROOT, 'language'))) {
      for (const spec of imports(f)) {
        const where = `${path.relative(ROOT, f)} imports '${spec}'`;
        assert.ok(spec !== 'vscode', where);
        if (spec.startsWith('.')) {
          const target = path.relative(ROOT, path.resolve(path.dirname(f), spec));
          assert.ok(!/^(debug-adapter|extension|cli)\b/.test(target), where);
          if (target.startsWith('emulator')) assert.ok(target.startsWith(path.join('emulator', 'isa')), where + ' (only emulator/isa)');
        }
      }
    }
  });

  it('debug-adapter/ never imports vscode or the extension', () => {
    const dir = path.join(ROOT, 'debug-adapter');
    if (!fs.existsSync(dir)) return;
    for (const f of sources(dir)) {
      for (const spec of imports(f)) {
        assert.ok(spec !== 'vscode' && !path.resolve(path.dirname(f), spec).startsWith(path.join(ROOT, 'extension')), `${path.relative(ROOT, f)} imports '${spec}'`);
      }
    }
  });

  it('grader/ (the check engine the CLI and the extension share) imports neither the adapter nor the extension', () => {
    for (const f of sources(path.join(ROOT, 'grader'))) {
      for (const spec of imports(f)) {
        const target = path.relative(ROOT, path.resolve(path.dirname(f), spec));
        assert.ok(!/^(debug-adapter|extension|cli)\b/.test(target), `${path.relative(ROOT, f)} imports '${spec}'`);
      }
    }
  });

  it('only extension/ imports vscode', () => {
    for (const part of ['emulator', 'language', 'debug-adapter', 'cli', 'grader']) {
      const dir = path.join(ROOT, part);
      if (!fs.existsSync(dir)) continue;
      for (const f of sources(dir)) assert.ok(!imports(f).includes('vscode'), `${path.relative(ROOT, f)} imports vscode`);
    }
  });
});
