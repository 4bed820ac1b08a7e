// `ringside.runHeadless` on Node: the bundled CLI in a process of its own, its output in the
// Ringside output channel. (In the browser there are no processes: see browser.ts.)
import * as vscode from 'vscode';
import { spawn } from 'child_process';
import type { CommandFactory } from './ctx';
import { trusted } from './workspaceTrust';

/** Run the active file through the bundled CLI and show its output and summary. Resolves with the exit code. */
export const runHeadless: CommandFactory = (ctx) => async () => {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.languageId !== 'r32asm') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Ringside: open a .rasm file first.'));
    return undefined;
  }
  if (!(await trusted('Run headless'))) return undefined;
  if (doc.isDirty) await doc.save();
  const out = ctx.output;
  out.show(true);
  out.appendLine(`$ ringside run ${doc.fileName} --events --summary`);
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [ctx.asset('dist/cli.js'), 'run', doc.uri.fsPath, '--events', '--summary'], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      cwd: vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath,
    });
    child.stdout.setEncoding('utf8').on('data', (s: string) => out.append(s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => out.append(s));
    child.on('close', (code) => {
      out.appendLine(vscode.l10n.t('[exit code {0}]', String(code)));
      resolve(code ?? -1);
    });
  });
};
