// The editor's workspace trust as trust.ts's seam: vscode.workspace.isTrusted, a warning, the trust page.
import * as vscode from 'vscode';
import { requireTrust, type TrustSeam } from './trust';

/** The three things that need trust, as the callers name them, in the display language. */
const WHAT: Record<string, () => string> = {
  Debugging: () => vscode.l10n.t('Debugging'),
  'Run headless': () => vscode.l10n.t('Run headless'),
  'Running the checks': () => vscode.l10n.t('Running the checks'),
};

export const vscodeTrust: TrustSeam = {
  isTrusted: () => vscode.workspace.isTrusted,
  warn: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  manageTrust: () => vscode.commands.executeCommand('workbench.trust.manage'),
  words: {
    restricted: (what) =>
      vscode.l10n.t(
        'Ringside: {0} is off in Restricted Mode. It runs the program and reads the files it includes, so it needs a trusted workspace. Trust this folder ({1}), then start again. Editing, diagnostics and the other language features keep working.',
        WHAT[what]?.() ?? what,
        vscode.l10n.t('Manage Workspace Trust'),
      ),
    get manage() {
      return vscode.l10n.t('Manage Workspace Trust');
    },
  },
};

/** requireTrust with the editor's trust state. */
export const trusted = (what: string): Promise<boolean> => requireTrust(what, vscodeTrust);
