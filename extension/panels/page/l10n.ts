// The panels' words in VS Code's display language. The page cannot call vscode.l10n: the
// extension host puts its bundle in the page (panels/html.ts), keyed by the English text like
// the adapter's and the language server's messages; English, the key, is the default.
const bundle: Record<string, string> = (() => {
  try {
    return JSON.parse(document.body.dataset.l10n ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
})();

/** A message in the display language; {0}, {1}... are replaced by args. */
export function t(message: string, ...args: Array<string | number>): string {
  const s = bundle[message] || message;
  return s.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));
}
