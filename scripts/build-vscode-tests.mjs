// Bundles everything that tests the extension against a real VS Code into out-vscode/:
//   index.js + <name>.test.js   the extension-host mocha suite (test/vscode)
//   run-electron.js             its @vscode/test-electron launcher
//   runner/                     the code-server test-runner extension (test/vscode-runner)
//   e2e/harness.js              the Playwright + code-server harness (test/e2e)
// Test files are bundled one per file (not into index.js) so mocha can load them with its
// globals installed; node_modules packages and 'vscode' stay external.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';

const out = 'out-vscode';
rmSync(out, { recursive: true, force: true });

const tests = readdirSync('test/vscode')
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => ({ in: `test/vscode/${f}`, out: `${out}/${f.replace(/\.ts$/, '')}` }));

const entries = [
  { in: 'test/vscode/index.ts', out: `${out}/index` },
  { in: 'test/vscode/run-electron.ts', out: `${out}/run-electron` },
  { in: 'test/vscode-runner/runner.ts', out: `${out}/runner/runner` },
  { in: 'test/e2e/harness.ts', out: `${out}/e2e/harness` },
  ...tests,
];

await build({
  entryPoints: entries,
  outdir: '.',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  external: ['vscode'],
  logLevel: 'warning',
});

mkdirSync(`${out}/runner`, { recursive: true });
copyFileSync('test/vscode-runner/package.json', `${out}/runner/package.json`);
