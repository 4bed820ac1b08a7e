// How sessions and panels name a program: by its path in the workspace (hello/hello.rasm), so
// two sessions, and the panels of each, can be told apart at a glance. Programs are paths on a
// disk, or URI strings in the browser (configProvider.ts programPath); no Node 'path' here, as
// the browser's bundle has none.
import * as vscode from 'vscode';

/** The file a launch configuration's `program` names: a URI string, or a path on the disk. */
export function programUri(program: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(program) ? vscode.Uri.parse(program) : vscode.Uri.file(program);
}

/** The program's path relative to its workspace folder (the sample's folder included), else its folder and file name. */
export function programLabel(program: string): string {
  if (!program) return '';
  const uri = programUri(program);
  if (vscode.workspace.getWorkspaceFolder(uri)) return vscode.workspace.asRelativePath(uri, false).split('\\').join('/');
  // Outside every folder: the folder and file name say enough.
  return uri.path.split('/').filter(Boolean).slice(-2).join('/');
}

/** The program a session debugs, named as above; the session's own name when it has no program. */
export function sessionProgram(session: vscode.DebugSession): string {
  const p = session.configuration.program;
  return typeof p === 'string' && p ? programLabel(p) : session.name;
}

/** Short, for a tab: the file name only. */
export function programFile(session: vscode.DebugSession): string {
  return sessionProgram(session).split('/').pop() ?? '';
}
