// Command implementations, one small factory each: `(ctx) => handler`. They are registered
// by name in extension.ts; the name after `ringside.` must match package.json contributes.
import * as vscode from 'vscode';
import { spawn } from 'child_process';
import type { CommandFactory } from './ctx';
import { PageTablesPanel } from './panels/pageTablesPanel';
import { parseAddress } from './panels/spaces';
import { DEBUG_TYPE } from './debug/configProvider';

/** `ringside.showVersion`: shows and returns the extension version (the return value is what tests assert). */
export const showVersion: CommandFactory = (ctx) => () => {
  const text = `Ringside ${ctx.version}`;
  ctx.output.appendLine(text);
  // Not awaited: the promise settles only when the user dismisses the message.
  void vscode.window.showInformationMessage(text);
  return ctx.version;
};

export const openPageTables: CommandFactory = (ctx) => () => ctx.panels.show('pageTables').panel.title;

export const openTransitions: CommandFactory = (ctx) => () => ctx.panels.show('transitions').panel.title;

/** Ask for a virtual address and show its walk in the Page Tables panel. */
export const translateAddress: CommandFactory = (ctx) => async (arg?: unknown) => {
  const text =
    typeof arg === 'string' || typeof arg === 'number'
      ? String(arg)
      : await vscode.window.showInputBox({
          title: 'Ringside: translate a virtual address',
          prompt: 'A virtual (linear) address in the current address space, e.g. 0x00400000',
          validateInput: (v) => (parseAddress(v) === undefined ? 'Type an address such as 0xC0001000 or 4194304' : undefined),
        });
  if (text === undefined) return undefined;
  const va = parseAddress(text);
  if (va === undefined) {
    void vscode.window.showErrorMessage(`Ringside: '${text}' is not an address.`);
    return undefined;
  }
  const panel = ctx.panels.show('pageTables');
  if (panel instanceof PageTablesPanel) await panel.translate(va);
  return va;
};

/** Start debugging the active .rasm file without a launch.json. */
export const debugCurrentFile: CommandFactory = () => async () => {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.languageId !== 'r32asm') {
    void vscode.window.showErrorMessage('Ringside: open a .rasm file first.');
    return false;
  }
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(doc.uri), { type: DEBUG_TYPE, request: 'launch', name: `Ringside: ${doc.fileName.split(/[\\/]/).pop()}`, program: doc.uri.fsPath, stopOnEntry: true });
};

/** Run the active file through the bundled CLI and show its output and summary. Resolves with the exit code. */
export const runHeadless: CommandFactory = (ctx) => async () => {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.languageId !== 'r32asm') {
    void vscode.window.showErrorMessage('Ringside: open a .rasm file first.');
    return undefined;
  }
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
      out.appendLine(`[exit code ${code}]`);
      resolve(code ?? -1);
    });
  });
};
