/**
 * Entry point of dist/languageServer.js. The transport comes from the command
 * line (--node-ipc from the extension's client, --stdio for the benchmark).
 */
import * as fs from 'fs';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';
import { Paths } from './paths';
import { nodeFileUrls, nodeServiceHost } from './nodeServiceHost';

const connection = createConnection(ProposedFeatures.all);
const realPath = (id: string): string | undefined => {
  try {
    return fs.realpathSync.native(id);
  } catch {
    return undefined;
  }
};
// Node started with --expose-gc (nodeFlags.ts) has gc(); a minor collection is V8's scavenge.
const gc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;
const collectYoung = gc && (() => gc({ type: 'minor' }));
startServer(connection, { host: nodeServiceHost, paths: new Paths(nodeFileUrls), realPath, collectYoung });
// A bug must not take the editor's language features down: log and keep serving.
process.on('uncaughtException', (e) => connection.console.error(`r32asm: uncaught ${e.stack ?? e.message}`));
connection.listen();
