/** The messages between the extension (browser) and the adapter's Web Worker. */

export type ToWorker =
  /** First message: the folder relative program paths start from (a URI string). */
  | { kind: 'start'; cwd: string }
  /** A DAP message from VS Code. */
  | { kind: 'dap'; message: unknown }
  /** The editor's answer to a read. */
  | { kind: 'read'; id: number; result: { text: string } | { error: string } };

export type FromWorker =
  /** A DAP message to VS Code. */
  | { kind: 'dap'; message: unknown }
  /** Read a file through the editor's file systems (vscode.workspace.fs). */
  | { kind: 'read'; id: number; uri: string };
