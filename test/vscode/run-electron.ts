// `npm run test:vscode`: runs the extension-host suite in a desktop VS Code downloaded by
// @vscode/test-electron. Machines without access to the VS Code download site (like the
// project's own, which reach only the npm registry) cannot do this; `npm run test:e2e` runs
// the same suite inside code-server instead. Set VSCODE_EXECUTABLE_PATH to use an installed
// VS Code and skip the download. Linux without a display needs xvfb-run in front.
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const repo = path.resolve(__dirname, '..');
  const executable = process.env.VSCODE_EXECUTABLE_PATH || undefined;
  try {
    return await runTests({
      vscodeExecutablePath: executable,
      version: executable ? undefined : (process.env.VSCODE_TEST_VERSION ?? 'stable'),
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(__dirname, 'index.js'),
      launchArgs: [
        path.join(repo, 'samples'),
        '--disable-extensions', // only the extension under development
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (!executable && /download|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|fetch|socket|network/i.test(msg)) {
      console.error(
        `test:vscode: could not download VS Code (${msg}).\n` +
          'This machine cannot reach the VS Code download site. Either set VSCODE_EXECUTABLE_PATH to an\n' +
          'installed VS Code, or run `npm run test:e2e`, which runs the same suite inside code-server.',
      );
    } else {
      console.error(`test:vscode: ${msg}`);
    }
    return 1;
  }
}

main().then((code) => process.exit(code));
