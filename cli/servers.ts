/**
 * `ringside lsp` and `ringside dap`: the language server and the debug adapter over standard
 * input and output, for editors other than VS Code (Neovim, Helix, Emacs...). Each is the same
 * bundle VS Code runs (dist/languageServer.js, dist/debugAdapter.js, beside this CLI's bundle),
 * started as a child process that shares this one's stdio: the language server needs its Node
 * flags (nodeFlags.ts), which only a new process takes. Its exit code is this command's.
 */
import { spawn } from 'child_process';
import { constants } from 'os';
import * as path from 'path';
import { SERVER_EXEC_ARGV } from '../language/server/nodeFlags';
import { HelpRequest, UsageError } from './args';

interface Server {
  file: string;
  flags: readonly string[];
  args: readonly string[];
  /** The options it takes (none but the transport, which is always stdio). */
  accepts: readonly string[];
}

const SERVERS: Record<'lsp' | 'dap', Server> = {
  lsp: { file: 'languageServer.js', flags: SERVER_EXEC_ARGV, args: ['--stdio'], accepts: ['--stdio'] },
  dap: { file: 'debugAdapter.js', flags: [], args: [], accepts: [] },
};

/** Serve until the editor closes the connection; resolves to the server's exit code. */
export function serve(which: 'lsp' | 'dap', rest: readonly string[]): Promise<number> {
  const s = SERVERS[which];
  if (rest.some((a) => a === '--help' || a === '-h')) throw new HelpRequest();
  const bad = rest.find((a) => !s.accepts.includes(a));
  if (bad !== undefined) throw new UsageError(`${which}: unexpected '${bad}' (it talks over standard input and output only)`);
  const child = spawn(process.execPath, [...s.flags, path.join(__dirname, s.file), ...s.args], { stdio: 'inherit' });
  // The editor stopping this process stops the server too (it would also end at its input's end).
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig));
  return new Promise((resolve) => {
    child.on('error', (e) => {
      process.stderr.write(`ringside ${which}: cannot start ${s.file}: ${e.message}\n`);
      resolve(1);
    });
    // Killed by a signal: 128 + its number, as a shell reports it.
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}
