/** Folding: comment blocks, a global label's code, `.org` regions and `; region` / `; endregion` markers. */
import type { FoldingRange } from 'vscode-languageserver-types';
import type { SourceDocument } from './document';

export function foldingRanges(doc: SourceDocument): FoldingRange[] {
  const out: FoldingRange[] = [];
  const n = doc.lineCount;
  // A fold ends at its last code line: blank lines and the comments that introduce what follows stay outside.
  const lastCode = (from: number, to: number) => {
    let e = to;
    while (e > from && (doc.lines[e].trim() === '' || doc.lines[e].trimStart().startsWith(';'))) e--;
    return e;
  };
  let commentStart = -1;
  let labelStart = -1;
  let orgStart = -1;
  const regions: number[] = [];
  for (let i = 0; i <= n; i++) {
    const info = i < n ? doc.info(i) : undefined;
    const commentOnly = info !== undefined && info.comment !== undefined && !info.stmt && info.labels.length === 0;
    if (commentOnly && commentStart < 0) commentStart = i;
    if (!commentOnly && commentStart >= 0) {
      if (i - 1 > commentStart) out.push({ startLine: commentStart, endLine: i - 1, kind: 'comment' });
      commentStart = -1;
    }
    const isOrg = info?.directive === '.org';
    const global = info !== undefined && info.labels.some((l) => !l.local);
    if ((global || isOrg || i === n) && labelStart >= 0) {
      const e = lastCode(labelStart, i - 1);
      if (e > labelStart) out.push({ startLine: labelStart, endLine: e });
      labelStart = -1;
    }
    if ((isOrg || i === n) && orgStart >= 0) {
      const e = lastCode(orgStart, i - 1);
      if (e > orgStart) out.push({ startLine: orgStart, endLine: e, kind: 'region' });
      orgStart = -1;
    }
    if (global) labelStart = i;
    if (isOrg) orgStart = i;
    const c = info?.comment && doc.lines[i].slice(info.comment.start + 1).trim().toLowerCase();
    if (c && /^region\b/.test(c)) regions.push(i);
    else if (c && /^endregion\b/.test(c) && regions.length) out.push({ startLine: regions.pop()!, endLine: i, kind: 'region' });
  }
  return out;
}
