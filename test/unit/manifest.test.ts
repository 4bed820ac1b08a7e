/** package.json's contributions agree with the adapter, the docs and the files they name. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_HISTORY, LAUNCH_ATTRIBUTES, parseLaunchConfig } from '../../debug-adapter/dap/launchConfig';
import { PANEL_KINDS } from '../../extension/panels/kinds';

const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const launch = pkg.contributes.debuggers[0].configurationAttributes.launch.properties;

describe('Manifest: package.json agrees with the adapter and the docs', () => {
  it('the history default is the same in package.json, the adapter and docs/debugger.md', () => {
    assert.strictEqual(launch.history.default, DEFAULT_HISTORY);
    assert.strictEqual(parseLaunchConfig({ program: 'x.rasm' }, '/').history, DEFAULT_HISTORY);
    const docs = fs.readFileSync(path.join(ROOT, 'docs/debugger.md'), 'utf8');
    assert.match(docs, new RegExp(`default ${DEFAULT_HISTORY.toLocaleString('en-US')}`));
  });

  it('every launch attribute the adapter accepts is declared in package.json', () => {
    for (const k of ['program', 'stopOnEntry', 'memory', 'tlbEntries', 'stdin', 'history', 'cwd', 'stopAtInstruction', 'stopAtMessage']) {
      assert.ok(launch[k], `package.json declares "${k}"`);
      assert.doesNotThrow(() => parseLaunchConfig({ program: 'x.rasm', [k]: k === 'program' ? 'y.rasm' : launch[k].default ?? (launch[k].type === 'number' ? 1 : launch[k].type === 'string' ? 's' : undefined) }, '/'));
    }
  });

  it('package.json declares exactly the launch attributes the adapter understands, and only program is required', () => {
    // Declared twice (package.json for the editor's completion and checks, launchConfig.ts for the adapter): held equal here.
    assert.deepStrictEqual(Object.keys(launch).sort(), [...LAUNCH_ATTRIBUTES].sort());
    assert.deepStrictEqual(pkg.contributes.debuggers[0].configurationAttributes.launch.required, ['program']);
    for (const k of LAUNCH_ATTRIBUTES) assert.ok(typeof launch[k].description === 'string' || typeof launch[k].markdownDescription === 'string', `"${k}" has a description in package.json`);
    assert.throws(() => parseLaunchConfig({ program: 'x.rasm', notAnAttribute: 1 }, '/'), /notAnAttribute/);
  });

  it('every panel kind has its folder (panel, messages, page), its activation event, its command on the debug toolbar; and every panel folder is a kind', () => {
    const panels = path.join(ROOT, 'extension', 'panels');
    for (const k of PANEL_KINDS) {
      for (const f of ['panel.ts', 'messages.ts', 'page/main.ts']) assert.ok(fs.existsSync(path.join(panels, k.kind, f)), `extension/panels/${k.kind}/${f}`);
      assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${k.viewType}`), `activation on ${k.viewType}`);
      assert.ok(pkg.contributes.commands.some((c: { command: string }) => c.command === k.command), `${k.command} is contributed`);
      assert.ok(pkg.contributes.menus['debug/toolBar'].some((c: { command: string }) => c.command === k.command), `${k.command} is on the debug toolbar`);
    }
    const folders = fs.readdirSync(panels).filter((d) => fs.existsSync(path.join(panels, d, 'page', 'main.ts')));
    assert.deepStrictEqual(folders.sort(), PANEL_KINDS.map((k) => k.kind).sort());
    // The build makes one page bundle per kind.
    for (const k of PANEL_KINDS) assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'webview', `${k.kind}.js`)), `dist/webview/${k.kind}.js`);
  });

  it('the Memory Inspector works on ringside sessions out of the box', () => {
    assert.ok(pkg.contributes.configurationDefaults['memory-inspector.debugTypes'].includes('ringside'));
  });

  it('the walkthrough: every step has its page and completes on a ringside.walk context key', () => {
    const steps = pkg.contributes.walkthroughs[0].steps as { media: { markdown: string }; completionEvents: string[] }[];
    assert.ok(steps.length >= 8);
    const walk = fs.readFileSync(path.join(ROOT, 'extension/walkthrough.ts'), 'utf8');
    for (const s of steps) {
      assert.ok(fs.existsSync(path.join(ROOT, s.media.markdown)), s.media.markdown);
      // VS Code shows `page.nls.ko.md` beside `page.md` to a Korean display language.
      const ko = s.media.markdown.replace(/\.md$/, '.nls.ko.md');
      assert.ok(fs.existsSync(path.join(ROOT, ko)), `${ko}: the page in Korean`);
      for (const e of s.completionEvents) {
        const key = /^onContext:(ringside\.walk\.\w+)$/.exec(e)?.[1];
        assert.ok(key && walk.includes(`'${key}'`), `${e} is a key extension/walkthrough.ts sets`);
      }
    }
  });

  it('Restricted Mode is declared limited, with a description and every contributed setting that could run code restricted', () => {
    const u = pkg.capabilities.untrustedWorkspaces;
    assert.strictEqual(u.supported, 'limited');
    assert.match(u.description, /^%[\w.]+%$/);
    // Settings are contributed under contributes.configuration: any that names a program or a path must be listed.
    const settings = Object.keys(pkg.contributes.configuration?.properties ?? {});
    for (const k of settings.filter((k) => /path|program|command|exec/i.test(k))) assert.ok((u.restrictedConfigurations ?? []).includes(k), k);
  });

  it('the .vsix ships the course and the check engine (.vscodeignore is an allow-list)', () => {
    const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    for (const line of ['!samples/**', '!exercises/*', '!exercises/*/*', '!dist/grader.js', '!dist/web/*.js', '!dist/course.json']) assert.ok(ignore.includes(line), line);
    // Every re-included pattern names something that exists (after the build): no entry for a file long gone.
    for (const line of ignore.filter((l) => l.startsWith('!'))) {
      const pattern = line.slice(1);
      // As a glob: ** any path, * any name.
      const glob = new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*\*/g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '.*')}$`);
      const top = pattern.split('/')[0];
      const exists = top.includes('*') ? fs.readdirSync(ROOT).some((f) => glob.test(f)) : fs.existsSync(path.join(ROOT, top)) && (fs.statSync(path.join(ROOT, top)).isFile() ? glob.test(top) : walk(top).some((f) => glob.test(f)));
      assert.ok(exists, `.vscodeignore re-includes ${pattern}, which does not exist`);
    }
  });

  const walk = (rel: string): string[] => fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(`${rel}/${d.name}`) : [`${rel}/${d.name}`]));
  const solution = (f: string) => /^exercises\/[^/]+\/solution\//.test(f);

  it('dist/course.json lists every file of the course but the model solutions (Open Course Samples copies by it in the browser)', () => {
    const listed = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', 'course.json'), 'utf8')) as string[];
    const files = [...walk('samples'), ...walk('exercises')].sort();
    assert.ok(files.includes('samples/hello/hello.rasm') && files.includes('exercises/01-syscall-write/check.json') && files.some(solution));
    assert.deepEqual(listed, files.filter((f) => !solution(f)));
  });

  it('the .vsix ships each exercise but not its model solution (as vsce lists the package)', async () => {
    const vsce = await import('@vscode/vsce');
    const shipped = new Set((await vsce.listFiles({ cwd: ROOT, packageManager: vsce.PackageManager.None })).map((f) => f.replace(/\\/g, '/')));
    const exercises = walk('exercises');
    assert.deepEqual(exercises.filter((f) => !solution(f) && !shipped.has(f)), [], 'every file of the course ships');
    assert.deepEqual(exercises.filter((f) => solution(f) && shipped.has(f)), [], 'no model solution ships');
  });

  it("the browser's bundles need nothing but the editor (no Node module reaches VS Code for the web)", () => {
    for (const f of ['extension.js', 'debugAdapter.js', 'languageServer.js']) {
      const text = fs.readFileSync(path.join(ROOT, 'dist', 'web', f), 'utf8');
      const required = new Set([...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]));
      required.delete('vscode');
      assert.deepEqual([...required], [], `dist/web/${f} requires ${[...required].join(', ')}`);
    }
  });
});

describe('Manifest: English and Korean (package.nls.json, package.nls.ko.json)', () => {
  const en = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8'));
  const ko = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.ko.json'), 'utf8'));
  const text = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  const used = [...text.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]);

  it('every %key% of package.json exists in both bundles, and neither has keys nobody uses', () => {
    assert.ok(used.length >= 40, `${used.length} keys`);
    for (const k of used) {
      assert.ok(typeof en[k] === 'string' && en[k].length, `package.nls.json: ${k}`);
      assert.ok(typeof ko[k] === 'string' && ko[k].length, `package.nls.ko.json: ${k}`);
    }
    assert.deepStrictEqual(Object.keys(en).sort(), [...new Set(used)].sort());
    assert.deepStrictEqual(Object.keys(ko).sort(), Object.keys(en).sort());
  });

  it('every contribution a person reads is localised: command titles, launch attributes, snippets, the walkthrough', () => {
    const c = pkg.contributes;
    const all = [
      ...c.commands.flatMap((x: { title: string; category: string }) => [x.title, x.category]),
      ...Object.values(launch).map((v) => (v as { description: string }).description),
      ...c.debuggers[0].configurationSnippets.flatMap((s: { label: string; description: string }) => [s.label, s.description]),
      c.debuggers[0].label,
      c.walkthroughs[0].title,
      ...c.walkthroughs[0].steps.flatMap((s: { title: string; description: string }) => [s.title, s.description]),
    ];
    for (const s of all) assert.match(s, /^%[\w.]+%$/, s);
  });

  it("the Korean text is Korean, and keeps the walkthrough's command links", () => {
    for (const [k, v] of Object.entries(ko) as [string, string][]) {
      if (/\.(description|title)$/.test(k) && !k.startsWith('ringside.') && k !== 'description') assert.match(v, /[\uac00-\ud7a3]/, k);
      for (const link of (en[k] as string).match(/\(command:[^)]+\)/g) ?? []) assert.ok(v.includes(link), `${k} keeps ${link}`);
    }
  });
});
