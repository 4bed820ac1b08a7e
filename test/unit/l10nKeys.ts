/**
 * The message keys the code uses: the English text of every t('...') / k('...') in the files that
 * import the l10n wrapper, every vscode.l10n.t('...') of the extension, every t('...') of the
 * student vocabulary (emulator/isa/vocabulary.ts, which is handed its t), and the instruction
 * table's summaries (translated by their English text at the hover). Shared by the bundle test.
 */
import * as fs from 'fs';
import * as path from 'path';
import { INSTRUCTIONS } from '../../emulator/isa/table';
import { ROOT, sources } from './helpers/sourceFiles';

/** The value of a '...' or "..." literal's body. */
function unquote(body: string): string {
  return body.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

export interface KeyUse {
  key: string;
  file: string;
}

export function codeKeys(): { uses: KeyUse[]; templated: string[] } {
  const uses: KeyUse[] = [];
  const templated: string[] = [];
  const vocabulary = path.join(ROOT, 'emulator', 'isa', 'vocabulary.ts');
  for (const f of [...['language', 'debug-adapter', 'extension', 'grader'].flatMap((part) => sources(path.join(ROOT, part))), vocabulary]) {
    const text = fs.readFileSync(f, 'utf8');
    const rel = path.relative(ROOT, f);
    // The wrapper's t and k under the names this file imports them as (t as tr where t names tokens).
    const names = f === vocabulary ? ['t'] : [...(/import \{([^}]*)\} from '(?:\.\.?\/)+(?:language\/|page\/)?l10n'/.exec(text)?.[1] ?? '').matchAll(/\b(?:t|k)(?:\s+as\s+(\w+))?\b/g)].map((m) => m[1] ?? m[0]);
    const wrapper = names.length > 0;
    const literal = String.raw`\(\s*(?:'((?:\\.|[^'\\])*)'|"((?:\\.|[^"\\])*)"|\x60((?:\\.|[^\x60\\])*)\x60)`;
    const calls = new RegExp((wrapper ? String.raw`(?<![\w.])(?:${names.join('|')})` : String.raw`\bl10n\.t`) + literal, 'g');
    for (const m of text.matchAll(calls)) {
      // A template literal is a key only without substitutions (the HELP text).
      if (m[3] !== undefined && m[3].includes('${')) templated.push(rel);
      else uses.push({ key: unquote(m[1] ?? m[2] ?? m[3]), file: rel });
    }
  }
  for (const d of INSTRUCTIONS) for (const key of [d.summary, d.flagsNote ?? d.summary]) uses.push({ key, file: 'emulator/isa/table.ts' });
  return { uses, templated };
}

export function bundle(locale: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, `l10n/bundle.l10n.${locale}.json`), 'utf8'));
}
