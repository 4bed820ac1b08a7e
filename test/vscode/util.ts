// Helpers shared by the extension-host tests.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RingsideApi } from '../../extension/extension';

export const EXTENSION_ID = 'ringside.ringside';

/** The repository: the suite is bundled into out-vscode/, one level down. */
export const REPO = path.resolve(__dirname, '..');
export const fixture = (name: string) => path.join(REPO, 'test', 'vscode', 'fixtures', name);

export function ringside(): vscode.Extension<RingsideApi> {
  const ext = vscode.extensions.getExtension<RingsideApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

/** The extension's API, activating it if needed. */
export async function api(): Promise<RingsideApi> {
  return ringside().activate();
}

/** Polls a condition that VS Code satisfies asynchronously (activation, editor changes). */
export async function eventually(what: string, cond: () => boolean, timeoutMs = 10_000, state?: () => unknown): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state ? `; state: ${JSON.stringify(state())?.slice(0, 1500)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves with the first `event` that satisfies `pred`; the timeout only bounds a hang. */
export function nextEvent<T>(event: vscode.Event<T>, what: string, pred: (e: T) => boolean = () => true, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event((e) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

/**
 * samples/hello/hello.rasm in the open workspace. (Not just any .rasm: the library files in
 * samples/common are meant to be included, and opened alone they are full of errors.)
 */
export async function helloUri(): Promise<vscode.Uri> {
  const [uri] = await vscode.workspace.findFiles('hello/hello.rasm', undefined, 1);
  assert.ok(uri, 'samples/hello/hello.rasm is not in the workspace (is samples/ open?)');
  return uri;
}

/** 0-based line of the first line of `doc` that matches `re`. */
export function lineOf(doc: vscode.TextDocument, re: RegExp): number {
  for (let i = 0; i < doc.lineCount; i++) if (re.test(doc.lineAt(i).text)) return i;
  throw new Error(`no line matching ${re} in ${doc.uri.fsPath}`);
}

/**
 * A path as a DAP response carries it through VS Code. With a remote extension host (as in
 * code-server) VS Code rewrites paths in adapter responses to vscode-remote:// URIs.
 */
export function fsPathOf(p: string | undefined): string | undefined {
  if (p === undefined || !/^[a-z][\w+.-]+:\/\//i.test(p)) return p;
  return vscode.Uri.parse(p).fsPath;
}
