/**
 * The documents the service works on: open editor buffers (an overlay) over
 * files read through the host, and the analysis of each unit, kept until one
 * of the documents it read changes.
 */
import { SourceDocument, TextChange } from './document';
import { patchAnalysis } from './incremental';
import { analyzeUnit, UnitAnalysis, UnitSources } from './unit';

/** What the service needs from its environment. URIs are opaque to the service: the host resolves and reads them. */
export interface ServiceHost {
  /** Contents of a file that is not open, or undefined when it cannot be read. */
  readFile(uri: string): string | undefined;
  /** The URI of `rel` as written in an `.include` of `fromUri`. */
  resolve(fromUri: string, rel: string): string;
  /** Entries of a directory (the URI of a folder), for include-path completion. */
  readDirectory?(uri: string): { name: string; directory: boolean }[] | undefined;
  /** Assembly files of the workspace, for workspace symbols. */
  workspaceFiles?(): string[];
  /** Why an `.include` of this file is refused (Restricted Mode: outside the workspace), else undefined. */
  includeProblem?(uri: string): string | undefined;
}

export interface WorkspaceOptions {
  /** How long a file read from disk is trusted before it is read again (ms). */
  diskTtlMs?: number;
  /** How ids are shown in hovers and messages (e.g. relative to the workspace folder). */
  displayName?: (id: string) => string;
}

interface DiskEntry {
  text?: string;
  doc?: SourceDocument;
  checked: number;
}

export class Workspace implements UnitSources {
  private readonly open = new Map<string, SourceDocument>();
  private readonly disk = new Map<string, DiskEntry>();
  private readonly analyses = new Map<string, UnitAnalysis>();
  /** For a file no open document includes: the workspace file that does (found by a scan), or undefined. */
  private readonly includers = new Map<string, { root: string | undefined; at: number }>();
  private readonly ttl: number;
  readonly display: (id: string) => string;

  constructor(
    readonly host: ServiceHost,
    options: WorkspaceOptions = {},
  ) {
    this.ttl = options.diskTtlMs ?? 1000;
    this.display = options.displayName ?? ((id) => id);
  }

  openDocument(uri: string, text: string, version = 0): SourceDocument {
    const doc = new SourceDocument(uri, text, version);
    this.open.set(uri, doc);
    return doc;
  }

  changeDocument(uri: string, changes: readonly TextChange[], version?: number): SourceDocument | undefined {
    const doc = this.open.get(uri);
    // An edit that adds or removes an .include changes which file includes which: the cached includers go.
    if (doc && changes.some((c) => c.text.includes('.include') || (c.range ? touchesInclude(doc, c.range.start.line, c.range.end.line) : true))) this.includers.clear();
    doc?.applyChanges(changes, version);
    return doc;
  }

  closeDocument(uri: string): void {
    this.open.delete(uri);
    this.analyses.delete(uri);
    this.disk.delete(uri);
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  openUris(): string[] {
    return [...this.open.keys()];
  }

  /** Forget what was read from disk (a file watcher saw a change). */
  invalidate(uri?: string): void {
    if (uri === undefined) this.disk.clear();
    else this.disk.delete(uri);
  }

  /** Every file and analysis anew: what may be read changed (the workspace became trusted). */
  reset(): void {
    this.disk.clear();
    this.analyses.clear();
    this.includers.clear();
  }

  includeProblem(uri: string): string | undefined {
    return this.host.includeProblem?.(uri);
  }

  resolve(fromUri: string, rel: string): string {
    return this.host.resolve(fromUri, rel);
  }

  /** The open buffer, else the file as last read (again after the TTL). */
  document(uri: string): SourceDocument | undefined {
    const open = this.open.get(uri);
    if (open) return open;
    const now = Date.now();
    let e = this.disk.get(uri);
    if (e && now - e.checked <= this.ttl) return e.doc;
    let text: string | undefined;
    try {
      text = this.host.readFile(uri);
    } catch {
      text = undefined;
    }
    if (!e || e.text !== text) {
      e = { text, doc: text === undefined ? undefined : new SourceDocument(uri, text), checked: now };
      this.disk.set(uri, e);
    } else e.checked = now;
    return e.doc;
  }

  /**
   * The root of the unit `uri` belongs to: an open document whose analysis
   * includes it (so labels defined by the includer are known), else itself.
   */
  rootOf(uri: string): string {
    const own = this.analyses.get(uri);
    for (const stale of [...this.analyses.values()]) {
      if (stale.root === uri || !this.open.has(stale.root) || !stale.files.has(uri)) continue;
      // Whether it includes `uri` now (an edit may just have removed the .include).
      const a = this.current(stale.root);
      if (!a.files.has(uri)) continue;
      // Two files that include each other: keep the one asked about.
      if (own && own.files.has(a.root)) continue;
      return a.root;
    }
    return this.includerOf(uri) ?? uri;
  }

  /**
   * The top file of the workspace that includes `uri` (directly or through other
   * includes), so a library file opened alone still sees the labels its includer
   * defines. Found by reading the workspace's files for `.include` lines.
   */
  private includerOf(uri: string): string | undefined {
    const now = Date.now();
    const hit = this.includers.get(uri);
    if (hit && now - hit.at <= Math.max(this.ttl, 1000)) return hit.root;
    const files = this.host.workspaceFiles?.() ?? [];
    const direct = (target: string): string | undefined => {
      for (const f of files) {
        if (f === target) continue;
        if (this.includesOf(f).includes(target)) return f;
      }
      return undefined;
    };
    let root: string | undefined;
    const seen = new Set<string>([uri]);
    for (let at = direct(uri); at !== undefined; at = direct(at)) {
      if (seen.has(at)) {
        root = undefined; // files that include each other: each is its own root, as the assembler sees it
        break;
      }
      root = at;
      seen.add(at);
    }
    this.includers.set(uri, { root, at: now });
    return root;
  }

  /** The files `f` includes, read from its `.include` lines (without analysing it). */
  private includesOf(f: string): string[] {
    const text = this.document(f)?.getText();
    if (!text || !text.includes('.include')) return [];
    return [...text.matchAll(/^[ \t]*(?:[A-Za-z_.][\w.]*:[ \t]*)?\.include[ \t]+"([^"\n]+)"/gim)].map((m) => this.host.resolve(f, m[1]));
  }

  /**
   * Every top file of the workspace (or open document) that includes `uri`, directly or not: the
   * programs a library file belongs to (at most `max`). A rename there must edit them all.
   */
  allRoots(uri: string, max = 64): string[] {
    const files = [...new Set([...(this.host.workspaceFiles?.() ?? []), ...this.open.keys()])];
    const includes = new Map<string, string[]>();
    for (const f of files) {
      for (const target of this.includesOf(f)) includes.set(target, [...(includes.get(target) ?? []), f]);
    }
    const roots: string[] = [];
    const seen = new Set([uri]);
    for (const queue = [uri]; queue.length && roots.length < max; ) {
      const at = queue.shift()!;
      const by = includes.get(at) ?? [];
      if (by.length === 0 && at !== uri) roots.push(at);
      for (const f of by) {
        if (seen.has(f)) continue;
        seen.add(f);
        queue.push(f);
      }
    }
    return roots;
  }

  /** The (current) analysis of the unit that `uri` belongs to. */
  analysis(uri: string): UnitAnalysis {
    // An analysis whose root is not open is kept only while asked for (a closed includer).
    return this.current(this.rootOf(uri));
  }

  /** The analysis of the unit rooted at `root`, brought up to date. */
  private current(root: string): UnitAnalysis {
    let a = this.analyses.get(root);
    if (!a || !patchAnalysis(a, this)) {
      a = analyzeUnit(root, this, a);
      this.analyses.set(root, a);
    }
    return a;
  }

  /** Cached analyses (current or not), for workspace-wide features. */
  knownAnalyses(): UnitAnalysis[] {
    return [...this.analyses.values()];
  }
}

/** Whether lines `from`..`to` of the document hold an `.include` (an edit there may remove it). */
function touchesInclude(doc: SourceDocument, from: number, to: number): boolean {
  for (let i = Math.max(0, from); i <= Math.min(to, doc.lineCount - 1); i++) if (doc.lines[i].includes('.include')) return true;
  return false;
}
