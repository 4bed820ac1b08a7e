// Command implementations, one small factory each: `(ctx) => handler`. They are registered
// by name in extension.ts; the name after `ringside.` must match package.json contributes.
import * as vscode from 'vscode';
import { spawn } from 'child_process';
import type { CommandFactory } from './ctx';
import { PageTablesPanel } from './panels/pageTablesPanel';
import { parseAddress } from './panels/spaces';
import { DEBUG_TYPE } from './debug/configProvider';
import { WALK } from './walkthrough';
import { trusted } from './workspaceTrust';

/** `ringside.showVersion`: shows and returns the extension version (the return value is what tests assert). */
export const showVersion: CommandFactory = (ctx) => () => {
  const text = `Ringside ${ctx.version}`;
  ctx.output.appendLine(text);
  // Not awaited: the promise settles only when the user dismisses the message.
  void vscode.window.showInformationMessage(text);
  return ctx.version;
};

export const openPageTables: CommandFactory = (ctx) => () => {
  ctx.walk.tick(WALK.pageTables);
  return ctx.panels.show('pageTables').panel.title;
};

export const openTransitions: CommandFactory = (ctx) => () => {
  ctx.walk.tick(WALK.transitions);
  return ctx.panels.show('transitions').panel.title;
};

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
      out.appendLine(`[exit code ${code}]`);
      resolve(code ?? -1);
    });
  });
};

/**
 * Copy the course (samples/ and exercises/, shipped inside the extension) into a folder the
 * student picks, and open it. Arguments (tests): a target folder, and `{ open: false }`.
 * Resolves with the new folder's path, or undefined when cancelled.
 */
export const openCourseSamples: CommandFactory = (ctx) => async (target?: unknown, opts?: unknown) => {
  let parent = typeof target === 'string' ? target : undefined;
  if (!parent) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Copy the course here', title: 'Ringside: where should the course samples go?' });
    if (!picked?.length) return undefined;
    parent = picked[0].fsPath;
  }
  const fs = await import('node:fs');
  const path = await import('node:path');
  let dest = path.join(parent, 'ringside-course');
  for (let n = 2; fs.existsSync(dest); n++) dest = path.join(parent, `ringside-course-${n}`);
  for (const part of ['samples', 'exercises']) {
    const src = ctx.asset(part);
    if (fs.existsSync(src)) fs.cpSync(src, path.join(dest, part), { recursive: true });
  }
  ctx.walk.tick(WALK.courseOpened);
  if ((opts as { open?: boolean } | undefined)?.open !== false) await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dest), { forceNewWindow: false });
  return dest;
};

/** Open a sample file by its path under samples/ (the walkthrough's links): the workspace's copy if it has one, else the extension's. */
export const openSample: CommandFactory = (ctx) => async (rel?: unknown) => {
  if (typeof rel !== 'string') return undefined;
  const path = await import('node:path');
  const fs = await import('node:fs');
  const candidates = (vscode.workspace.workspaceFolders ?? []).flatMap((f) => [path.join(f.uri.fsPath, 'samples', rel), path.join(f.uri.fsPath, rel), path.join(path.dirname(f.uri.fsPath), rel)]);
  const file = candidates.find((c) => fs.existsSync(c)) ?? ctx.asset(path.join('samples', rel));
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  return file;
};
