// Entry point desktop VS Code and code-server load (bundled to dist/extension.js): the debug
// adapter and the language server run as Node processes. browser.ts is the web's entry point.
import { loadStart } from './clock';
import * as vscode from 'vscode';
import { activateOn, Platform, RingsideApi } from './activate';
import { RingsideAdapterFactory } from './debug/adapterFactory';
import { runHeadless } from './runHeadless';
import { ExerciseTests } from './testing/checks';

export type { RingsideApi } from './activate';
export { deactivate } from './activate';

/** Evaluating the bundle: everything above this line ran since clock.ts was evaluated. */
const loadMs = Date.now() - loadStart;

const node: Platform = {
  host: 'Node',
  adapterFactory: (c) => new RingsideAdapterFactory(c.asset('dist/debugAdapter.js')),
  startLanguageClient: (c) => {
    // The client (vscode-languageclient, most of our code by size) is a bundle of its own,
    // loaded only once a .rasm file is open.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle loaded at run time, by path
    const { startLanguageClient } = require(c.asset('dist/languageClient.js')) as typeof import('./languageClient');
    return startLanguageClient(c.asset('dist/languageServer.js'), c.output);
  },
  runHeadless,
  exercises: (c) => new ExerciseTests(c),
  // The adapter process inherits the extension host's working directory.
};

export function activate(context: vscode.ExtensionContext): RingsideApi {
  return activateOn(node, context, loadMs);
}
