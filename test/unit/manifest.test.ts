/** package.json's contributions agree with the adapter, the docs and the files they name. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_HISTORY, parseLaunchConfig } from '../../debug-adapter/launchConfig';

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

  it('the Memory Inspector works on ringside sessions out of the box', () => {
    assert.ok(pkg.contributes.configurationDefaults['memory-inspector.debugTypes'].includes('ringside'));
  });

  it('the walkthrough: every step has its page and completes on a ringside.walk context key', () => {
    const steps = pkg.contributes.walkthroughs[0].steps as { media: { markdown: string }; completionEvents: string[] }[];
    assert.ok(steps.length >= 8);
    const walk = fs.readFileSync(path.join(ROOT, 'extension/walkthrough.ts'), 'utf8');
    for (const s of steps) {
      assert.ok(fs.existsSync(path.join(ROOT, s.media.markdown)), s.media.markdown);
      for (const e of s.completionEvents) {
        const key = /^onContext:(ringside\.walk\.\w+)$/.exec(e)?.[1];
        assert.ok(key && walk.includes(`'${key}'`), `${e} is a key extension/walkthrough.ts sets`);
      }
    }
  });

  it('the .vsix ships the course and the check engine (.vscodeignore is an allow-list)', () => {
    const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    for (const line of ['!samples/**', '!exercises/**', '!dist/grader.js']) assert.ok(ignore.includes(line), line);
  });
});
