/**
 * The words students read, in their display language. The debug adapter (DAP `initialize`
 * `locale`) and the language server (LSP `initialize` `locale`) call setLocale once; every message
 * then goes through t('English text {0}', arg). The Korean bundle is the one VS Code itself reads
 * for the extension's vscode.l10n text (package.json "l10n"), imported here so that the browser
 * Worker builds carry it too. English, the key, stays the default. The machine has no words of its
 * own for students: what it reports is worded by the vocabulary (emulator/isa/vocabulary.ts), here
 * in the session's language (`words`).
 */
import * as l10n from '@vscode/l10n';
import ko from '../l10n/bundle.l10n.ko.json';
import { english, vocabulary, type Translate } from '../emulator/isa/vocabulary';

const BUNDLES: Record<string, Record<string, string>> = { ko };

let current = 'en';

/** 'ko', 'ko-KR', 'ko_kr' choose Korean; anything else (or nothing) English. */
export function setLocale(locale: string | undefined): void {
  const lang = (locale ?? '').toLowerCase().split(/[-_]/)[0];
  current = BUNDLES[lang] ? lang : 'en';
  l10n.config({ contents: BUNDLES[current] ?? {} });
}

export function currentLocale(): string {
  return current;
}

/** A message in the current language; {0}, {1}... are replaced by args. */
export function t(message: string, ...args: Array<string | number | boolean>): string {
  return l10n.t(message, ...args);
}

/** Marks a message defined here and translated later with t(variable) (tables of labels). */
export function k(message: string): string {
  return message;
}

/** The student vocabulary (where the CPU is, modes, kinds, final stops) in the current language. */
export const words = vocabulary(t);

/** A translator for one language whatever the session's: the grader words each report in its student's language. */
export function translator(locale: string | undefined): Translate {
  const bundle = BUNDLES[(locale ?? '').toLowerCase().split(/[-_.]/)[0]] ?? {};
  return (message, ...args) => english(bundle[message] || message, ...args);
}
