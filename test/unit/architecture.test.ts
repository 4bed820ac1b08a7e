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

  it('the product detaches no ArrayBuffer (no transfer lists, transfer() or structuredClone): after one detach V8 checks every typed-array access in the process', () => {
    const files = ['emulator', 'language', 'debug-adapter', 'extension', 'grader'].flatMap((d) => sources(path.join(ROOT, d)));
    assert.ok(files.length > 50);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      assert.ok(!/\.transfer(ToFixedLength)?\(|structuredClone\(|postMessage\([^;]*,\s*\[|transfer\s*:/.test(text), `${path.relative(ROOT, f)} may detach an ArrayBuffer`);
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

  /** Project-relative targets of a file's relative imports, and its package imports. */
  function edges(f: string): { spec: string; target: string | undefined }[] {
    return imports(f).map((spec) => ({ spec, target: spec.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(f), spec)) : undefined }));
  }
  const under = (target: string | undefined, dir: string) => target !== undefined && (target === dir || target.startsWith(dir + path.sep));

  it('debug-adapter/engine/ (the run loop, breakpoints, history) knows no DAP: no @vscode package, nothing from the views or the DAP surface', () => {
    const files = sources(path.join(ROOT, 'debug-adapter', 'engine'));
    assert.ok(files.length > 10);
    for (const f of files) {
      for (const { spec, target } of edges(f)) {
        const where = `${path.relative(ROOT, f)} imports '${spec}'`;
        assert.ok(!spec.startsWith('@vscode/'), where + ' (a DAP package)');
        assert.ok(!under(target, path.join('debug-adapter', 'views')) && !under(target, path.join('debug-adapter', 'dap')), where + ' (the engine is below the views and the DAP surface)');
      }
    }
  });

  it('debug-adapter/views/ (what requests show) import no @vscode package and nothing from the DAP surface', () => {
    for (const f of sources(path.join(ROOT, 'debug-adapter', 'views'))) {
      for (const { spec, target } of edges(f)) {
        const where = `${path.relative(ROOT, f)} imports '${spec}'`;
        assert.ok(!spec.startsWith('@vscode/'), where);
        assert.ok(!under(target, path.join('debug-adapter', 'dap')), where);
      }
    }
  });

  it('only debug-adapter/dap/ and the entry points use the DAP library; the protocol file imports types only', () => {
    for (const f of sources(path.join(ROOT, 'debug-adapter'))) {
      const rel = path.relative(ROOT, f);
      if (rel.startsWith(path.join('debug-adapter', 'dap') + path.sep) || ['main.ts', 'worker.ts'].includes(path.basename(rel))) continue;
      for (const spec of imports(f)) assert.ok(!spec.startsWith('@vscode/debugadapter'), `${rel} imports '${spec}'`);
    }
    const protocol = fs.readFileSync(path.join(ROOT, 'debug-adapter', 'protocol.ts'), 'utf8');
    for (const line of protocol.split('\n').filter((l) => /^(import|export) .* from /.test(l))) assert.match(line, /^(import|export) type /, `protocol.ts: ${line}`);
  });

  it('the adapter sends its own events only through sendCustomEvent (dap/route.ts), which takes the body their declaration gives', () => {
    const route = path.join(ROOT, 'debug-adapter', 'dap', 'route.ts');
    for (const f of sources(path.join(ROOT, 'debug-adapter')).filter((f) => f !== route)) {
      assert.doesNotMatch(fs.readFileSync(f, 'utf8'), /new Event\(/, `${path.relative(ROOT, f)} builds an event by name: use sendCustomEvent with its declaration in protocol.ts`);
    }
  });

  it('the panels\' pages (extension/panels/page, extension/panels/<kind>/page; run in a browser) import no package and, from outside, only page code, the panel messages, the protocol and emulator/isa', () => {
    const panels = path.join(ROOT, 'extension', 'panels');
    const pages = [path.join(panels, 'page'), ...fs.readdirSync(panels).map((d) => path.join(panels, d, 'page')).filter((d) => fs.existsSync(d))];
    assert.ok(pages.length >= 3);
    for (const f of pages.flatMap((d) => sources(d))) {
      for (const { spec, target } of edges(f)) {
        const where = `${path.relative(ROOT, f)} imports '${spec}'`;
        assert.ok(target !== undefined, where + ' (a package)');
        const ok =
          pages.some((d) => under(target, path.relative(ROOT, d))) ||
          /^extension[/\\]panels[/\\](\w+[/\\])?messages$/.test(target) ||
          target === path.join('debug-adapter', 'protocol') ||
          under(target, path.join('emulator', 'isa'));
        assert.ok(ok, where);
      }
    }
  });

  it('the extension host side of the panels never imports a page (pages are bundled apart, for the webview)', () => {
    for (const f of sources(path.join(ROOT, 'extension')).filter((f) => !/[/\\]page[/\\]/.test(path.relative(ROOT, f)))) {
      for (const { spec, target } of edges(f)) assert.ok(!target || !/[/\\]page([/\\]|$)/.test(target), `${path.relative(ROOT, f)} imports '${spec}'`);
    }
  });

  it('extension/ reaches the adapter only through its protocol and the messages of its Web Worker', () => {
    for (const f of sources(path.join(ROOT, 'extension'))) {
      for (const { spec, target } of edges(f)) {
        if (!under(target, 'debug-adapter')) continue;
        const ok = target === path.join('debug-adapter', 'protocol') || under(target, path.join('debug-adapter', 'host'));
        assert.ok(ok, `${path.relative(ROOT, f)} imports '${spec}'`);
      }
    }
  });
});
