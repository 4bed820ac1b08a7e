// The one object that owns the extension's state while it is active (the rust-analyzer
// editors/code pattern): commands receive it from a factory instead of reaching for globals,
// so state (debug sessions, the language client, panels) has a single owner and a single
// place where it is disposed.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { SessionRegistry } from './debug/sessions';
import { ModeStatusBar } from './statusBar';
import type { PanelManager } from './panels/manager';
import { WalkthroughProgress } from './walkthrough';

/** A command is built from the context once, at registration. */
export type CommandFactory = (ctx: Ctx) => (...args: unknown[]) => unknown;

export class Ctx {
  private outputChannel: vscode.OutputChannel | undefined;
  readonly sessions: SessionRegistry;
  readonly statusBar: ModeStatusBar;
  client: BaseLanguageClient | undefined;
  clientStarting: Promise<BaseLanguageClient | undefined> | undefined;
  panels!: PanelManager;
  readonly walk: WalkthroughProgress;
  /** Where the extension runs and how long activation took (Show Version tells). */
  about: { host: 'Node' | 'browser'; activationMs: number } = { host: 'Node', activationMs: 0 };

  constructor(readonly extCtx: vscode.ExtensionContext) {
    this.sessions = this.track(new SessionRegistry());
    this.statusBar = this.track(new ModeStatusBar(this.sessions));
    this.walk = this.track(new WalkthroughProgress(this.sessions));
  }

  get version(): string {
    return String((this.extCtx.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  }

  /** Created on first use so that activation stays cheap. */
  get output(): vscode.OutputChannel {
    this.outputChannel ??= this.track(vscode.window.createOutputChannel('Ringside'));
    return this.outputChannel;
  }

  /** Absolute path of a file shipped with the extension. */
  asset(rel: string): string {
    return this.extCtx.asAbsolutePath(rel);
  }

  /** Registers `ringside.<name>`; the disposable is owned by the extension context. */
  registerCommand(name: string, factory: CommandFactory): void {
    this.track(vscode.commands.registerCommand(`ringside.${name}`, factory(this)));
  }

  /** Hands a disposable to VS Code so it is released on deactivation. */
  track<T extends vscode.Disposable>(d: T): T {
    this.extCtx.subscriptions.push(d);
    return d;
  }
}
