// How sessions and panels name a program: by its path in the workspace (hello/hello.rasm), so
// two sessions, and the panels of each, can be told apart at a glance.
import * as path from 'path';
import * as vscode from 'vscode';

/** The program's path relative to its workspace folder (the sample's folder included), else its file name. */
export function programLabel(program: string): string {
  if (!program) return '';
  const rel = vscode.workspace.asRelativePath(vscode.Uri.file(program), false);
  // Outside every folder asRelativePath gives the path back unchanged: the folder and file name say enough.
  return path.isAbsolute(rel) ? path.join(path.basename(path.dirname(program)), path.basename(program)) : rel.split(path.sep).join('/');
}

/** The program a session debugs, named as above; the session's own name when it has no program. */
export function sessionProgram(session: vscode.DebugSession): string {
  const p = session.configuration.program;
  return typeof p === 'string' && p ? programLabel(p) : session.name;
}

/** Short, for a tab: the file name only. */
export function programFile(session: vscode.DebugSession): string {
  return path.posix.basename(sessionProgram(session));
}
