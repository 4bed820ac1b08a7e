/**
 * A source document as the service sees it: an array of lines with a lazily
 * filled per-line cache of parse results. Edits splice the arrays, so a
 * one-character edit re-parses exactly one line; lines that only move keep
 * their cached parse (parses are made at line 0 and placed by array index).
 */
import { computeLineInfo, LineInfo } from './lineInfo';

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
/** An LSP content change: a range and its replacement, or (no range) the whole text. */
export interface TextChange {
  range?: Range;
  text: string;
}

const LINE_BREAK = /\r\n|\r|\n/;
let revisions = 0;

export class SourceDocument {
  lines: string[];
  private infos: (LineInfo | undefined)[];
  /** Changes on every edit, unique across documents: analyses compare it to know they are current. */
  revision = ++revisions;

  constructor(
    readonly uri: string,
    text: string,
    public version = 0,
  ) {
    this.lines = text.split(LINE_BREAK);
    this.infos = new Array(this.lines.length);
  }

  get lineCount(): number {
    return this.lines.length;
  }

  getText(): string {
    return this.lines.join('\n');
  }

  /** Parse results for line i (cached). */
  info(i: number): LineInfo {
    let info = this.infos[i];
    if (info === undefined) this.infos[i] = info = computeLineInfo(this.lines[i] ?? '');
    return info;
  }

  /** Clamp a position into the document. */
  clamp(p: Position): Position {
    const line = Math.max(0, Math.min(p.line, this.lines.length - 1));
    const character = p.line > line ? this.lines[line].length : Math.max(0, Math.min(p.character, this.lines[line].length));
    return { line, character };
  }

  applyChanges(changes: readonly TextChange[], version?: number): void {
    for (const c of changes) {
      if (!c.range) {
        this.lines = c.text.split(LINE_BREAK);
        this.infos = new Array(this.lines.length);
        continue;
      }
      const start = this.clamp(c.range.start);
      let end = this.clamp(c.range.end);
      if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = start;
      const text = this.lines[start.line].slice(0, start.character) + c.text + this.lines[end.line].slice(end.character);
      const removed = end.line - start.line + 1;
      if (removed === 1 && c.text.indexOf('\n') < 0 && c.text.indexOf('\r') < 0) {
        // The common case while typing: one line changes in place.
        this.lines[start.line] = text;
        this.infos[start.line] = undefined;
        continue;
      }
      const added = text.split(LINE_BREAK);
      this.lines.splice(start.line, removed, ...added);
      this.infos.splice(start.line, removed, ...new Array<undefined>(added.length));
    }
    this.revision = ++revisions;
    if (version !== undefined) this.version = version;
  }
}
