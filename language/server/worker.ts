/** Browser entry point: the language server in a Web Worker, files from the editor (webServiceHost). */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { startServer } from './server';
import { webServiceHost } from './webServiceHost';

// The worker's global scope, typed by hand: the project compiles without the DOM library.
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];

const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
startServer(connection, { host: webServiceHost(connection) });
connection.listen();
