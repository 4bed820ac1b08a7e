// Bundles every entry point with esbuild. Entries whose source does not exist yet are skipped,
// so the build works while the project grows.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  { in: 'cli/main.ts', out: 'dist/cli.js' },
  { in: 'scripts/bench.ts', out: 'dist/bench.js' },
  { in: 'scripts/bench-dap.ts', out: 'dist/bench-dap.js' },
  { in: 'scripts/bench-lsp.ts', out: 'dist/bench-lsp.js' },
  { in: 'scripts/gen-docs.ts', out: 'dist/gen-docs.js' },
  { in: 'debug-adapter/main.ts', out: 'dist/debugAdapter.js' },
  { in: 'language/server/main.ts', out: 'dist/languageServer.js' },
  { in: 'extension/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
];

const watch = process.argv.includes('--watch');
await Promise.all(
  entries
    .filter((e) => existsSync(e.in))
    .map((e) =>
      build({
        entryPoints: [e.in],
        outfile: e.out,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        sourcemap: true,
        minify: process.env.RINGSIDE_MINIFY === '1',
        external: e.external ?? [],
        logLevel: 'warning',
      }),
    ),
);
if (!watch) process.stdout.write('');
