// Every panel, once. Its kind names its folder (extension/panels/<kind>/: panel.ts on the
// extension host, page/ in the webview, messages.ts between them) and its page's bundle
// (dist/webview/<kind>.js, built from every folder with a page/main.ts). package.json declares
// the same view types and commands: a test holds the two together. No vscode here, so the
// test can read it.
export const PANEL_KINDS = [
  { kind: 'pageTables', viewType: 'ringside.pageTables', command: 'ringside.openPageTables' },
  { kind: 'transitions', viewType: 'ringside.transitions', command: 'ringside.openTransitions' },
] as const;

export type PanelKind = (typeof PANEL_KINDS)[number]['kind'];
