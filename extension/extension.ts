// Entry point VS Code loads (bundled to dist/extension.js). Activation only builds the context
// and registers commands: anything expensive (emulator, language server) must start lazily.
import type * as vscode from 'vscode';
import * as commands from './commands';
import { Ctx } from './ctx';

/** What `vscode.extensions.getExtension('ringside.ringside').exports` returns. */
export interface RingsideApi {
  readonly version: string;
}

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): RingsideApi {
  ctx = new Ctx(context);
  ctx.registerCommand('showVersion', commands.showVersion);
  return { version: ctx.version };
}

export function deactivate(): void {
  // Disposables registered through ctx are released by VS Code via context.subscriptions.
  ctx = undefined;
}
