/**
 * Restricted Mode (an untrusted workspace): what may run. The language server and the read-only
 * features work (with includes confined to the workspace folders: language/server/confine.ts);
 * anything that assembles and runs a program (a debug session, Run headless, the exercises'
 * checks) reads the files the program includes and so needs a trusted workspace. This is the
 * decision, over a seam with no vscode in it (workspaceTrust.ts gives the editor's), so a unit
 * test can fake the trust state.
 */

/** The editor's side of the decision. */
export interface TrustSeam {
  /** vscode.workspace.isTrusted, read each time (trust can be granted while we wait). */
  isTrusted(): boolean;
  /** A warning with buttons; resolves with the button chosen, or undefined. */
  warn(message: string, ...actions: string[]): PromiseLike<string | undefined>;
  /** Opens the editor's Workspace Trust page (command workbench.trust.manage). */
  manageTrust(): PromiseLike<unknown>;
  /** The words in the editor's display language (English when not given). */
  readonly words?: TrustWords;
}

/** What the student reads: the warning for `what`, and the button to the trust page. */
export interface TrustWords {
  restricted(what: string): string;
  readonly manage: string;
}

export const MANAGE_TRUST = 'Manage Workspace Trust';

/** The student-facing message for `what` ("Debugging", "Run headless", "Running the checks"). */
export function restrictedMessage(what: string): string {
  return `Ringside: ${what} is off in Restricted Mode. It runs the program and reads the files it includes, so it needs a trusted workspace. Trust this folder (${MANAGE_TRUST}), then start again. Editing, diagnostics and the other language features keep working.`;
}

/**
 * Whether `what` may run now. In a trusted workspace: yes, with no question. Otherwise the
 * student is told why not and offered the trust page; the answer is the trust state after that.
 */
export async function requireTrust(what: string, seam: TrustSeam): Promise<boolean> {
  if (seam.isTrusted()) return true;
  const words = seam.words ?? { restricted: restrictedMessage, manage: MANAGE_TRUST };
  const pick = await seam.warn(words.restricted(what), words.manage);
  if (pick === words.manage) await seam.manageTrust();
  return seam.isTrusted();
}
