// code-server (real VS Code served to a browser) as installed by scripts/e2e/setup.sh:
// a throwaway profile per run, extensions installed from .vsix files, a server on a free
// loopback port.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, startGroup, stopGroup } from './procs';
import { waitUntil } from './wait';

/** What setup.sh wrote to $RINGSIDE_E2E_CACHE/setup.json. */
export interface SetupInfo {
  readonly cache: string;
  readonly node: string;
  readonly codeServerEntry: string;
  readonly codeServerVersion: string;
  readonly chromium: string;
  /** Debian's Neovim: the language server in another editor (neovimPass.ts). */
  readonly nvim: string;
}

export function readSetup(): SetupInfo {
  const cache = process.env.RINGSIDE_E2E_CACHE || path.join(os.homedir(), '.cache', 'ringside-e2e');
  const file = path.join(cache, 'setup.json');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run scripts/e2e/setup.sh first`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SetupInfo;
}

/** Settings that keep a fresh profile quiet and offline: no trust prompt, welcome page or update checks. */
const SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // samples/ sits inside the repo's git checkout; the prompt about it would cover notifications.
  'git.openRepositoryInParentFolders': 'never',
  // Desktop VS Code's default; code-server would otherwise follow the headless browser (light).
  'workbench.colorTheme': 'Dark 2026',
};

export interface Profile {
  readonly root: string;
  readonly extensionsDir: string;
  readonly userDataDir: string;
  /** Passed as --config to every code-server call: otherwise it writes ~/.config/code-server/config.yaml. */
  readonly config: string;
}

export function freshProfile(): Profile {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-e2e-'));
  const p = {
    root,
    extensionsDir: path.join(root, 'extensions'),
    userDataDir: path.join(root, 'user-data'),
    config: path.join(root, 'config.yaml'),
  };
  fs.writeFileSync(p.config, 'auth: none\ncert: false\n');
  fs.mkdirSync(path.join(p.userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(p.userDataDir, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  return p;
}

export function installExtension(setup: SetupInfo, profile: Profile, vsix: string): void {
  run(setup.node, [
    setup.codeServerEntry,
    '--config', profile.config,
    '--extensions-dir', profile.extensionsDir,
    '--user-data-dir', profile.userDataDir,
    '--install-extension', vsix,
  ]);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface Server {
  readonly url: string;
  readonly logFile: string;
  /** Ends this code-server and everything it started (the harness's cleanup would too, at exit). */
  stop(): Promise<void>;
}

/** Starts code-server on `folder` and resolves once its health endpoint answers. */
export async function startCodeServer(
  setup: SetupInfo,
  profile: Profile,
  opts: { folder: string; logFile: string; env: Record<string, string>; args?: string[] },
): Promise<Server> {
  const port = await freePort();
  const logFd = fs.openSync(opts.logFile, 'w');
  const child = startGroup(
    setup.node,
    [
      setup.codeServerEntry,
      '--config', profile.config,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--extensions-dir', profile.extensionsDir,
      '--user-data-dir', profile.userDataDir,
      ...(opts.args ?? []),
      opts.folder,
    ],
    // An empty gallery: there is no network, so every marketplace query would only fail.
    { env: { ...process.env, EXTENSIONS_GALLERY: '{"serviceUrl":""}', ...opts.env }, logFd },
  );
  fs.closeSync(logFd);
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    `code-server on ${url}`,
    async () => {
      if (exited) throw new Error(`code-server exited early; log ${opts.logFile}:\n${tail(opts.logFile)}`);
      try {
        return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) })).ok ? true : undefined;
      } catch {
        return undefined; // not listening yet
      }
    },
    { timeoutMs: 60_000 },
  );
  return { url, logFile: opts.logFile, stop: () => stopGroup(child) };
}

function tail(file: string): string {
  return fs.readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
}
