// Activation, the same on every platform: builds the context and registers providers and
// commands; the heavy parts (the debug adapter, the language server) start only when a debug
// session or a .rasm file needs them. Where they run is the platform's: processes on Node
// (extension.ts), Web Workers in the browser (browser.ts).
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import * as commands from './commands';
import { Ctx } from './ctx';
import { DEBUG_TYPE, RingsideConfigurationProvider } from './debug/configProvider';
import type { CommandFactory } from './ctx';
import { PanelManager, type PanelInfo } from './panels/manager';
import { PANEL_KINDS } from './panels/kinds';
import { LaunchFailures } from './debug/launchFailures';
import type { ExerciseTests } from './testing/checks';
import { trusted } from './workspaceTrust';

/** What `vscode.extensions.getExtension('ringside.ringside').exports` returns. */
export interface RingsideApi {
  readonly version: string;
  /** Test hooks: the state a person would see. */
  readonly statusText: () => string;
  readonly panels: () => PanelInfo[];
  /** Redraws the panels with no stop: how long a refresh takes while VS Code is otherwise idle. */
  readonly refreshPanels: () => void;
  readonly languageClientReady: () => Promise<boolean>;
  /** Evaluating the bundle plus the activate() call, in ms (VS Code's code loading + activate call). */
  readonly activationMs: number;
  /** Of activationMs: evaluating the bundle. */
  readonly activationParts: { loadMs: number };
  /** Loading the language client's bundle and starting it, after activation (ms; undefined until it has run). */
  readonly languageClientStartMs: () => number | undefined;
  /** The exercises' checks in the Testing view (created on first use; undefined where the platform has no grader). */
  readonly exercises: () => ExerciseTests | undefined;
  /** The walkthrough's context keys set so far. */
  readonly walkthroughTicks: () => string[];
}

/** What differs between the Node and the browser extension hosts. */
export interface Platform {
  /** Which extension host runs us (Show Version says so). */
  readonly host: 'Node' | 'browser';
  /** The debug adapter: a process on Node, a Web Worker in the browser. */
  adapterFactory(c: Ctx): vscode.DebugAdapterDescriptorFactory;
  /** Starts the language client and its server (a process, or a Web Worker). */
  startLanguageClient(c: Ctx): Promise<BaseLanguageClient>;
  /** `ringside.runHeadless`: the CLI on Node; a run without debugging in the browser. */
  runHeadless: CommandFactory;
  /** The Testing view's exercises, where the grader can run (it reads the exercise from the disk: Node only). */
  exercises?: (c: Ctx) => ExerciseTests;
}

let ctx: Ctx | undefined;

/** `loadMs`: evaluating the bundle, measured by the entry point. */
export function activateOn(platform: Platform, context: vscode.ExtensionContext, loadMs: number): RingsideApi {
  const t0 = Date.now();
  const c = (ctx = new Ctx(context));
  c.panels = c.track(new PanelManager(c));
  c.track(vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new RingsideConfigurationProvider(trusted)));
  c.track(vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new RingsideConfigurationProvider(), vscode.DebugConfigurationProviderTriggerKind.Dynamic));
  c.track(vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, platform.adapterFactory(c)));
  c.track(new LaunchFailures());
  c.registerCommand('showVersion', commands.showVersion);
  for (const p of PANEL_KINDS) c.registerCommand(p.command.replace(/^ringside\./, ''), commands.openPanel(p.kind));
  c.registerCommand('translateAddress', commands.translateAddress);
  c.registerCommand('runHeadless', platform.runHeadless);
  c.registerCommand('debugCurrentFile', commands.debugCurrentFile);
  c.registerCommand('openCourseSamples', commands.openCourseSamples);
  c.registerCommand('openSample', commands.openSample);
  // The Testing view's exercises: only when the workspace has a check file or one is opened.
  let exercises: ExerciseTests | undefined;
  const tests = () => (platform.exercises ? (exercises ??= c.track(platform.exercises(c))) : undefined);
  if (platform.exercises) {
    void vscode.workspace.findFiles('**/check.json', '**/node_modules/**', 1).then((f) => f.length && tests());
    const besideExercise = (d: vscode.TextDocument) => {
      if (exercises || d.languageId !== 'r32asm' || d.uri.scheme !== 'file') return;
      void vscode.workspace.fs.stat(vscode.Uri.joinPath(d.uri, '..', 'check.json')).then(tests, () => undefined);
    };
    c.track(vscode.workspace.onDidOpenTextDocument(besideExercise));
    vscode.workspace.textDocuments.forEach(besideExercise);
  }

  // The language server: started in the background, never awaited by activation.
  let languageClientStartMs: number | undefined;
  const startClient = () => {
    c.clientStarting ??= (async () => {
      const t = Date.now();
      try {
        const starting = platform.startLanguageClient(c);
        languageClientStartMs = Date.now() - t;
        return (c.client = await starting);
      } catch (e) {
        c.output.appendLine(vscode.l10n.t('Ringside language server did not start: {0}', e instanceof Error ? e.message : String(e)));
        return undefined;
      }
    })();
    return c.clientStarting;
  };
  if (vscode.workspace.textDocuments.some((d) => d.languageId === 'r32asm')) {
    // Right after activate() returns: the .rasm file that activated us needs the server now,
    // but other extensions' activation need not wait for it.
    setTimeout(() => void startClient(), 0);
  } else {
    const sub = vscode.workspace.onDidOpenTextDocument((d) => {
      if (d.languageId === 'r32asm') {
        sub.dispose();
        void startClient();
      }
    });
    c.track(sub);
  }

  const activationMs = loadMs + (Date.now() - t0);
  c.about = { host: platform.host, activationMs };
  return {
    version: c.version,
    statusText: () => c.statusBar.text,
    panels: () => c.panels.list(),
    refreshPanels: () => c.panels.refreshAll(),
    languageClientReady: async () => (await startClient()) !== undefined,
    activationMs,
    activationParts: { loadMs },
    languageClientStartMs: () => languageClientStartMs,
    exercises: tests,
    walkthroughTicks: () => c.walk.ticked(),
  };
}

export async function deactivate(): Promise<void> {
  const client = ctx?.client;
  ctx = undefined;
  if (client) await client.stop();
}
