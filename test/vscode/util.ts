// Helpers shared by the extension-host tests.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'ringside.ringside';

export function ringside(): vscode.Extension<{ version: string }> {
  const ext = vscode.extensions.getExtension<{ version: string }>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

/** Polls a condition that VS Code satisfies asynchronously (activation, editor changes). */
export async function eventually(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A .rasm file from the open workspace (the repo's samples/ folder in both runners). */
export async function anyRasmFile(): Promise<vscode.Uri> {
  const [uri] = await vscode.workspace.findFiles('**/*.rasm', '**/node_modules/**', 1);
  assert.ok(uri, 'no .rasm file in the workspace (is samples/ open?)');
  return uri;
}
