// Command implementations, one small factory each: `(ctx) => handler`. They are registered
// by name in extension.ts; the name after `ringside.` must match package.json contributes.
import * as vscode from 'vscode';
import type { CommandFactory } from './ctx';

/** `ringside.showVersion`: shows and returns the extension version (the return value is what tests assert). */
export const showVersion: CommandFactory = (ctx) => () => {
  const text = `Ringside ${ctx.version}`;
  ctx.output.appendLine(text);
  // Not awaited: the promise settles only when the user dismisses the message.
  void vscode.window.showInformationMessage(text);
  return ctx.version;
};
