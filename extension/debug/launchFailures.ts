// When a launch fails because the program does not assemble, VS Code shows the adapter's
// message; this puts the assembler's errors into the Problems view as well, where a student
// can click them. Files open in an editor are left to the language server (it reports the
// same errors, kept current while typing); the others keep the adapter's errors until they
// are opened or the same program launches (a launch of another program says nothing of them).
import * as vscode from 'vscode';
import { DEBUG_TYPE } from './configProvider';
import { programLabel } from './programName';
import type { LaunchDiagnostic, LaunchErrorBody } from '../../debug-adapter/protocol';

/** The launch's response as the tracker sees it: a failure carries the assembler's diagnostics as data. */
interface LaunchResponse {
  type?: string;
  command?: string;
  success?: boolean;
  body?: LaunchErrorBody;
}

export class LaunchFailures implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ringside-launch');
  private readonly disposables: vscode.Disposable[];
  /** The files each program's last failed launch reported, by program path. */
  private readonly reported = new Map<string, vscode.Uri[]>();

  constructor() {
    this.disposables = [
      this.collection,
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: LaunchResponse) => {
            if (m.type !== 'response' || m.command !== 'launch') return;
            const program = programOf(session);
            for (const uri of this.reported.get(program) ?? []) this.collection.delete(uri);
            this.reported.delete(program);
            if (!m.success && m.body?.diagnostics?.length) void this.failed(session, m.body.diagnostics);
          },
        }),
      }),
      // Once open, the language server reports the file (and keeps line numbers current).
      vscode.workspace.onDidOpenTextDocument((d) => this.collection.delete(d.uri)),
    ];
  }

  private async failed(session: vscode.DebugSession, diagnostics: LaunchDiagnostic[]): Promise<void> {
    // The adapter left the message to us (configProvider.ts): one dialog, not two.
    const ours = session.configuration.__ringsidePresentsErrors === true;
    const program = programOf(session);
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    const byFile = new Map<string, vscode.Diagnostic[]>();
    let first: { uri: vscode.Uri; d: LaunchDiagnostic } | undefined;
    for (const d of diagnostics) {
      const uri = toUri(d.file);
      if (d.severity === 'error') first ??= { uri, d };
      if (open.has(uri.toString())) continue;
      const diag = new vscode.Diagnostic(rangeOf(d), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
      diag.source = 'ringside (launch)';
      byFile.set(uri.toString(), [...(byFile.get(uri.toString()) ?? []), diag]);
    }
    const uris = [...byFile.keys()].map((u) => vscode.Uri.parse(u));
    for (const uri of uris) this.collection.set(uri, byFile.get(uri.toString()) ?? []);
    this.reported.set(program, uris);
    // The Problems view shows where each error is; the dialog says how many and opens the first.
    await vscode.commands.executeCommand('workbench.actions.view.problems', { preserveFocus: true });
    if (ours && first) await this.offerFirstError(session, diagnostics.filter((d) => d.severity === 'error').length, first.uri, first.d);
  }

  private async offerFirstError(session: vscode.DebugSession, errors: number, uri: vscode.Uri, d: LaunchDiagnostic): Promise<void> {
    const name = programLabel(programOf(session)) || vscode.l10n.t('The program');
    const where = `${vscode.workspace.asRelativePath(uri, false)}:${d.line + 1}:${d.column + 1}`;
    const open = vscode.l10n.t('Open First Error');
    const choice = await vscode.window.showErrorMessage(
      errors === 1 ? vscode.l10n.t('{0} did not assemble: 1 error, listed in the Problems view.', name) : vscode.l10n.t('{0} did not assemble: {1} errors, listed in the Problems view.', name, errors),
      { modal: true, detail: vscode.l10n.t('The first: {0}: {1}', where, d.message) },
      open,
    );
    if (choice !== open) return;
    const pos = rangeOf(d).start;
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos) });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function programOf(session: vscode.DebugSession): string {
  return typeof session.configuration.program === 'string' ? session.configuration.program : '';
}

/** A range of the assembler's (0-based); an empty one still marks one character. */
function rangeOf(d: LaunchDiagnostic): vscode.Range {
  const start = new vscode.Position(Math.max(0, d.line), Math.max(0, d.column));
  const end = new vscode.Position(Math.max(0, d.endLine), Math.max(0, d.endColumn));
  return new vscode.Range(start, end.isAfter(start) ? end : start.translate(0, 1));
}

/** A path as the adapter names files: a disk path, or a URI string where there is no disk. */
function toUri(p: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(p) ? vscode.Uri.parse(p) : vscode.Uri.file(p);
}
