// When a launch fails because the program does not assemble, VS Code shows the adapter's
// message; this puts the assembler's errors into the Problems view as well, where a student
// can click them. Files open in an editor are left to the language server (it reports the
// same errors, kept current while typing); the others keep the adapter's errors until they
// are opened or the same program launches (a launch of another program says nothing of them).
import * as vscode from 'vscode';
import { DEBUG_TYPE } from './configProvider';
import { programLabel } from './programName';

/** `file:line:col: severity: message`, one per line, as the adapter's AssemblyError lists them. */
const DIAGNOSTIC_LINE = /^(.+?):(\d+):(\d+): (error|warning|note): (.*)$/;

export interface ParsedDiagnostic {
  file: string;
  line: number;
  col: number;
  severity: 'error' | 'warning' | 'note';
  message: string;
}

export function parseAssemblerMessage(text: string): ParsedDiagnostic[] {
  const out: ParsedDiagnostic[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = DIAGNOSTIC_LINE.exec(line.trim());
    if (m) out.push({ file: m[1], line: Number(m[2]) - 1, col: Number(m[3]) - 1, severity: m[4] as ParsedDiagnostic['severity'], message: m[5] });
  }
  return out;
}

interface LaunchResponse {
  type?: string;
  command?: string;
  success?: boolean;
  message?: string;
  body?: { error?: { format?: string; variables?: Record<string, string> } };
}

/** The text of an error response: the adapter puts it in body.error.format / variables. */
export function responseMessage(m: LaunchResponse): string {
  const e = m.body?.error;
  if (e?.format) return e.format.replace(/\{(\w+)\}/g, (all, k: string) => e.variables?.[k] ?? all);
  return m.message ?? '';
}

export class LaunchFailures implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ringside-launch');
  private readonly disposables: vscode.Disposable[];
  /** The files each program's last failed launch reported, by program path. */
  private readonly reported = new Map<string, vscode.Uri[]>();

  /** `adapterCwd`: the folder the adapter resolves a launch's relative paths against when it names none. */
  constructor(private readonly adapterCwd: (session: vscode.DebugSession) => string | undefined) {
    this.disposables = [
      this.collection,
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: LaunchResponse) => {
            if (m.type !== 'response' || m.command !== 'launch') return;
            const program = programOf(session);
            for (const uri of this.reported.get(program) ?? []) this.collection.delete(uri);
            this.reported.delete(program);
            if (!m.success) void this.failed(session, responseMessage(m));
          },
        }),
      }),
      // Once open, the language server reports the file (and keeps line numbers current).
      vscode.workspace.onDidOpenTextDocument((d) => this.collection.delete(d.uri)),
    ];
  }

  private async failed(session: vscode.DebugSession, message: string): Promise<void> {
    const diagnostics = parseAssemblerMessage(message);
    if (diagnostics.length === 0) return;
    // The adapter left the message to us (configProvider.ts): one dialog, not two.
    const ours = session.configuration.__ringsidePresentsErrors === true;
    const program = programOf(session);
    const cwd = typeof session.configuration.cwd === 'string' ? session.configuration.cwd : this.adapterCwd(session);
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    const byFile = new Map<string, vscode.Diagnostic[]>();
    let first: { uri: vscode.Uri; d: ParsedDiagnostic } | undefined;
    for (const d of diagnostics) {
      const uri = await resolveFile(d.file, cwd, program);
      if (d.severity === 'error') first ??= { uri, d };
      if (open.has(uri.toString())) continue;
      const pos = new vscode.Position(Math.max(0, d.line), Math.max(0, d.col));
      const diag = new vscode.Diagnostic(new vscode.Range(pos, pos.translate(0, 1)), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
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

  private async offerFirstError(session: vscode.DebugSession, errors: number, uri: vscode.Uri, d: ParsedDiagnostic): Promise<void> {
    const name = programLabel(programOf(session)) || vscode.l10n.t('The program');
    const where = `${vscode.workspace.asRelativePath(uri, false)}:${d.line + 1}:${d.col + 1}`;
    const open = vscode.l10n.t('Open First Error');
    const choice = await vscode.window.showErrorMessage(
      errors === 1 ? vscode.l10n.t('{0} did not assemble: 1 error, listed in the Problems view.', name) : vscode.l10n.t('{0} did not assemble: {1} errors, listed in the Problems view.', name, errors),
      { modal: true, detail: vscode.l10n.t('The first: {0}: {1}', where, d.message) },
      open,
    );
    if (choice !== open) return;
    const pos = new vscode.Position(Math.max(0, d.line), Math.max(0, d.col));
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos) });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function programOf(session: vscode.DebugSession): string {
  return typeof session.configuration.program === 'string' ? session.configuration.program : '';
}

/** A path as the adapter names files: a disk path, or a URI string where there is no disk. */
function toUri(p: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(p) ? vscode.Uri.parse(p) : vscode.Uri.file(p);
}

/**
 * The adapter prints paths relative to its working directory; find the file they name, through
 * the editor's file systems (a disk, or vscode.dev's).
 */
async function resolveFile(file: string, cwd: string | undefined, program: string): Promise<vscode.Uri> {
  if (/^[a-z][a-z0-9+.-]+:/i.test(file) || file.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(file)) return toUri(file);
  const rel = file.split(/[\\/]/);
  const candidates = [cwd ? vscode.Uri.joinPath(toUri(cwd), ...rel) : undefined, program ? vscode.Uri.joinPath(toUri(program), '..', ...rel) : undefined].filter((u): u is vscode.Uri => !!u);
  for (const c of candidates) {
    try {
      await vscode.workspace.fs.stat(c);
      return c;
    } catch {
      // not there: try the next
    }
  }
  return candidates[0] ?? toUri(file);
}
