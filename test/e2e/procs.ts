// Child-process helpers. Every long-lived process the harness starts is registered here so
// that one cleanup() ends them all, whatever path the harness exits by.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

type Closer = () => Promise<void>;
const closers: Closer[] = [];

/** Registers work to do at exit; run in reverse order (browser before server). */
export function onCleanup(c: Closer): void {
  // Registered after cleanup began (a step still in flight when a signal arrived): run it now.
  if (cleaning) void c().catch(() => undefined);
  else closers.push(c);
}

let cleaning: Promise<void> | undefined;
export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of closers.splice(0).reverse()) {
      try {
        await c();
      } catch (e) {
        console.error(`cleanup: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  })();
  return cleaning;
}

/** Runs a command to completion, echoing nothing unless it fails (then its output is shown). */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(cmd, args, { ...opts, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}${r.error ? ` (${r.error.message})` : ''}\n${output}`);
  }
  return output;
}

/**
 * Starts a long-lived process in its own process group (detached) so that stopping it also
 * stops its children: code-server forks an extension host and file watchers.
 */
export function startGroup(cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; logFd: number }): ChildProcess {
  if (cleaning) throw new Error(`not starting ${cmd}: the harness is shutting down`);
  const child = spawn(cmd, args, { env: opts.env, detached: true, stdio: ['ignore', opts.logFd, opts.logFd] });
  onCleanup(() => stopGroup(child));
  return child;
}

export async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // The group is already gone.
    }
  };
  signal('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const forced = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signal('SIGKILL');
      resolve();
    }, 5_000);
  });
  await Promise.race([exited, forced]);
  clearTimeout(timer);
  // Whatever of the group outlived its leader (an orphaned extension host) goes too.
  signal('SIGKILL');
}
