// Command implementations, one small factory each: `(ctx) => handler`. They are registered
// by name in extension.ts; the name after `ringside.` must match package.json contributes.
import * as vscode from 'vscode';
import type { CommandFactory } from './ctx';
import { PageTablesPanel } from './panels/pageTables/panel';
import type { PanelKind } from './panels/kinds';
import { PANELS } from './panels/registry';
import { parseAddress } from './panels/address';
import { DEBUG_TYPE, programPath } from './debug/configProvider';
import { WALK } from './walkthrough';

/** `ringside.showVersion`: shows and returns the extension version (the return value is what tests assert). */
export const showVersion: CommandFactory = (ctx) => () => {
  const text = vscode.l10n.t('Ringside {0} ({1} extension host, activated in {2} ms)', ctx.version, ctx.about.host, ctx.about.activationMs);
  ctx.output.appendLine(text);
  // Not awaited: the promise settles only when the user dismisses the message.
  void vscode.window.showInformationMessage(text);
  return ctx.version;
};

/** A panel's open command (registered for each kind, panels/kinds.ts): returns the panel's title. */
export const openPanel =
  (kind: PanelKind): CommandFactory =>
  (ctx) =>
  () => {
    ctx.walk.tick(PANELS[kind].walk);
    return ctx.panels.show(kind).panel.title;
  };

/** Ask for a virtual address and show its walk in the Page Tables panel. */
export const translateAddress: CommandFactory = (ctx) => async (arg?: unknown) => {
  const text =
    typeof arg === 'string' || typeof arg === 'number'
      ? String(arg)
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('Ringside: translate a virtual address'),
          prompt: vscode.l10n.t('A virtual (linear) address in the current address space, e.g. 0x00400000'),
          validateInput: (v) => (parseAddress(v) === undefined ? vscode.l10n.t('Type an address such as 0xC0001000 or 4194304') : undefined),
        });
  if (text === undefined) return undefined;
  const va = parseAddress(text);
  if (va === undefined) {
    void vscode.window.showErrorMessage(vscode.l10n.t("Ringside: '{0}' is not an address.", text));
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
    void vscode.window.showErrorMessage(vscode.l10n.t('Ringside: open a .rasm file first.'));
    return false;
  }
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(doc.uri), { type: DEBUG_TYPE, request: 'launch', name: `Ringside: ${doc.fileName.split(/[\\/]/).pop()}`, program: programPath(doc.uri), stopOnEntry: true });
};

/** A folder argument (tests, links): a URI string, or a path on the disk. */
function folderArg(v: unknown): vscode.Uri | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(v) ? vscode.Uri.parse(v) : vscode.Uri.file(v);
}

async function exists(u: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(u);
    return true;
  } catch {
    return false;
  }
}

/** How a command names a file to its caller: a path on a disk, else the URI. */
const shown = (u: vscode.Uri) => (u.scheme === 'file' ? u.fsPath : u.toString());

/**
 * Copy the course (samples/ and exercises/, shipped inside the extension) into a folder the
 * student picks, and open it. Arguments (tests): a target folder (path or URI), and `{ open: false }`.
 * Resolves with the new folder (a path on a disk, else a URI), or undefined when cancelled.
 * Everything goes through vscode.workspace.fs: in the browser the extension is served over
 * HTTP, where files can be read but not listed, so the build lists them (dist/course.json).
 */
export const openCourseSamples: CommandFactory = (ctx) => async (target?: unknown, opts?: unknown) => {
  let parent = folderArg(target);
  if (!parent) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: vscode.l10n.t('Copy the course here'), title: vscode.l10n.t('Ringside: where should the course samples go?'), defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
    if (!picked?.length) return undefined;
    parent = picked[0];
  }
  const ext = ctx.extCtx.extensionUri;
  const files = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext, 'dist/course.json')))) as string[];
  let dest = vscode.Uri.joinPath(parent, 'ringside-course');
  for (let n = 2; await exists(dest); n++) dest = vscode.Uri.joinPath(parent, `ringside-course-${n}`);
  // The folders first, one at a time (parallel writes would race to create the same parent).
  for (const dir of [...new Set(files.map((f) => f.slice(0, f.lastIndexOf('/'))))].sort()) await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(dest, dir));
  // A few at a time: each is a round trip (an HTTP fetch in the browser).
  for (let i = 0; i < files.length; i += 16) {
    await Promise.all(files.slice(i, i + 16).map(async (rel) => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dest, rel), await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext, rel)))));
  }
  ctx.walk.tick(WALK.courseOpened);
  if ((opts as { open?: boolean } | undefined)?.open !== false) {
    // Inside the open folder (the usual pick in vscode.dev and github.dev) the copy is already
    // in the Explorer: show it there and open the first sample, no reload.
    if (vscode.workspace.getWorkspaceFolder(dest)) {
      await vscode.commands.executeCommand('revealInExplorer', dest);
      await vscode.window.showTextDocument(vscode.Uri.joinPath(dest, 'samples/hello/hello.rasm'), { preview: false });
    } else await vscode.commands.executeCommand('vscode.openFolder', dest, { forceNewWindow: false });
  }
  return shown(dest);
};

/** Open a sample file by its path under samples/ (the walkthrough's links): the workspace's copy if it has one, else the extension's. */
export const openSample: CommandFactory = (ctx) => async (rel?: unknown) => {
  if (typeof rel !== 'string') return undefined;
  const candidates = (vscode.workspace.workspaceFolders ?? []).flatMap((f) => [vscode.Uri.joinPath(f.uri, 'samples', rel), vscode.Uri.joinPath(f.uri, rel), vscode.Uri.joinPath(f.uri, '..', rel)]);
  let file = vscode.Uri.joinPath(ctx.extCtx.extensionUri, 'samples', rel);
  for (const c of candidates) {
    if (await exists(c)) {
      file = c;
      break;
    }
  }
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  return shown(file);
};
