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
startServer(connection, { host: nodeServiceHost, paths: new Paths(nodeFileUrls), realPath });
// A bug must not take the editor's language features down: log and keep serving.
process.on('uncaughtException', (e) => connection.console.error(`r32asm: uncaught ${e.stack ?? e.message}`));
connection.listen();
