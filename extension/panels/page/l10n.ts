// The panels' words in VS Code's display language. The page cannot call vscode.l10n: the
// extension host puts its bundle in the page (panels/html.ts), keyed by the English text like
// the adapter's and the language server's messages; English, the key, is the default.
import { english, vocabulary, type Translate } from '../../../emulator/isa/vocabulary';

/** The translator over a bundle as the host writes it in the page (JSON; none or bad: English). */
export function pageTranslator(json: string | undefined): Translate {
  let bundle: Record<string, string> = {};
  try {
    bundle = JSON.parse(json ?? '{}') as Record<string, string>;
  } catch {
    // English
  }
  return (message, ...args) => english(bundle[message] || message, ...args);
}

/** A message in the display language; {0}, {1}... are replaced by args. */
// (Read through globalThis: the unit tests load this file in Node, where there is no document.)
const page = (globalThis as { document?: { body: { dataset: Record<string, string | undefined> } } }).document;
export const t: Translate = pageTranslator(page?.body.dataset.l10n);

/** The student vocabulary (where the CPU is, kinds, lanes) in the display language, as the adapter and the CLI word it. */
export const words = vocabulary(t);
