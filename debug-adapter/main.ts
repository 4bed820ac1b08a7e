/**
 * Stand-alone entry point: the Ringside debug adapter over stdin/stdout, for
 * VS Code or any DAP client (`node dist/debugAdapter.js`).
 */
import { DebugSession } from '@vscode/debugadapter';
import { RingsideSession } from './dap/session';
import { nodeAdapterHost } from './host/nodeHost';

// A bug in the adapter must not end the session: report it and keep serving requests.
process.on('uncaughtException', (e) => process.stderr.write(`ringside debug adapter: ${e.stack ?? e}\n`));
process.on('unhandledRejection', (e) => process.stderr.write(`ringside debug adapter: ${(e as Error)?.stack ?? e}\n`));

DebugSession.run(
  class extends RingsideSession {
    constructor() {
      super(nodeAdapterHost);
    }
  },
);
