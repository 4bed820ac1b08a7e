// Bundles every entry point with esbuild. Entries whose source does not exist yet are skipped,
// so the build works while the project grows.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';

const entries = [
  { in: 'cli/main.ts', out: 'dist/cli.js' },
  // v86 and esbuild (which rebuilds the baseline interpreter) stay in node_modules (devDependencies, loaded at run time), not in the bundle.
  { in: 'scripts/bench.ts', out: 'dist/bench.js', external: ['v86', 'esbuild'] },
  { in: 'scripts/bench-dap.ts', out: 'dist/bench-dap.js' },
  { in: 'scripts/fuzz-dap.ts', out: 'dist/fuzz-dap.js' },
  { in: 'scripts/bench-lsp.ts', out: 'dist/bench-lsp.js' },
  { in: 'scripts/bench-ext.ts', out: 'dist/bench-ext.js', external: ['playwright-core'] },
  { in: 'scripts/gen-docs.ts', out: 'dist/gen-docs.js' },
  { in: 'debug-adapter/main.ts', out: 'dist/debugAdapter.js' },
  { in: 'language/server/main.ts', out: 'dist/languageServer.js' },
  { in: 'extension/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
  // Loaded by the extension only once a .rasm file is open (most of the extension's code by size).
  { in: 'extension/languageClient.ts', out: 'dist/languageClient.js', external: ['vscode'] },
  // The check engine, loaded by the extension only when exercise checks run.
  { in: 'grader/bundle.ts', out: 'dist/grader.js' },
];

// The extension in VS Code for the web (package.json "browser"): the extension host and the two
// Web Workers it starts (the debug adapter, the language server). No Node there: the two Node
// modules @vscode/debugadapter reaches for get small stand-ins.
const browserEntries = [
  { in: 'extension/browser.ts', out: 'dist/web/extension.js', format: 'cjs', external: ['vscode'] },
  { in: 'debug-adapter/worker.ts', out: 'dist/web/debugAdapter.js', format: 'iife' },
  { in: 'language/server/worker.ts', out: 'dist/web/languageServer.js', format: 'iife' },
];
const browserShims = { events: './scripts/browser-shims/events.js', url: './scripts/browser-shims/url.js' };

// The panels' page scripts run in the webview (a browser), not in Node: each panel's folder
// with a page (extension/panels/<kind>/page/main.ts) becomes dist/webview/<kind>.js.
const webviews = readdirSync('extension/panels', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`extension/panels/${d.name}/page/main.ts`))
  .map((d) => d.name);

// Codicons ship inside the extension: webviews may load local resources only.
mkdirSync('media/codicons', { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf']) cpSync(`node_modules/@vscode/codicons/dist/${f}`, `media/codicons/${f}`);

// The course the extension ships (samples/, exercises/), listed for "Open Course Samples…": in
// the browser the extension is served over HTTP, where its files can be read but not listed.
// The exercises' model solutions stay in the repository, for teachers (.vscodeignore leaves them out too).
const listed = (dir) => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => `${d.parentPath ?? d.path}/${d.name}`.replace(/\\/g, '/')) : []);
const solution = (f) => /^exercises\/[^/]+\/solution\//.test(f);
mkdirSync('dist', { recursive: true });
writeFileSync('dist/course.json', JSON.stringify([...listed('samples'), ...listed('exercises').filter((f) => !solution(f))].sort()) + '\n');

// The .vsix ships minified bundles (vscode:prepublish passes --minify): smaller to download
// and faster to load at activation. Tests use the plain build; bench:ext measures the shipped one.
const minify = process.env.RINGSIDE_MINIFY === '1' || process.argv.includes('--minify');
// One esbuild call per bundle: the three kinds differ only in platform, format, target and aliases.
const bundle = (e, options) => build({ entryPoints: [e.in], outfile: e.out, bundle: true, sourcemap: true, minify, logLevel: 'warning', ...options });
const present = (e) => existsSync(e.in);
await Promise.all([
  ...entries.filter(present).map((e) => bundle(e, { platform: 'node', format: 'cjs', target: 'node20', external: e.external ?? [] })),
  ...browserEntries.filter(present).map((e) => bundle(e, { platform: 'browser', format: e.format, target: 'es2022', external: e.external ?? [], alias: browserShims })),
  ...webviews
    .map((w) => ({ in: `extension/panels/${w}/page/main.ts`, out: `dist/webview/${w}.js` }))
    .filter(present)
    .map((e) => bundle(e, { platform: 'browser', format: 'iife', target: 'es2022' })),
]);
