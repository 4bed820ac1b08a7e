// The project's TypeScript sources, for tests that read the code itself (architecture rules, l10n keys).
import * as fs from 'fs';
import * as path from 'path';

/** The repository's root (tests run from out/test/unit). */
export const ROOT = path.resolve(__dirname, '../../../..');

/** Every .ts file below `dir`. */
export function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}
