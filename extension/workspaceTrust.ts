// The editor's workspace trust as trust.ts's seam: vscode.workspace.isTrusted, a warning, the trust page.
import * as vscode from 'vscode';
import { requireTrust, type TrustSeam } from './trust';

export const vscodeTrust: TrustSeam = {
  isTrusted: () => vscode.workspace.isTrusted,
  warn: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  manageTrust: () => vscode.commands.executeCommand('workbench.trust.manage'),
};

/** requireTrust with the editor's trust state. */
export const trusted = (what: string): Promise<boolean> => requireTrust(what, vscodeTrust);
