/**
 * Document ids for the service. On Node, file URIs become file-system paths (so messages show
 * paths, as the CLI's do); other URIs, and every URI in the browser, stay as they are.
 */

/** File URIs and paths, converted by the host (Node's url module). */
export interface FileUrls {
  toPath(uri: string): string;
  /** The file URI of an absolute path; undefined for anything else. */
  toUri(path: string): string | undefined;
}

export class Paths {
  /** URIs the client used for open documents, so replies name them exactly as it does. */
  private readonly clientUris = new Map<string, string>();

  constructor(private readonly files?: FileUrls) {}

  toId(uri: string): string {
    if (!this.files || !uri.startsWith('file:')) return uri;
    try {
      return this.files.toPath(uri);
    } catch {
      return uri;
    }
  }

  remember(uri: string): string {
    const id = this.toId(uri);
    this.clientUris.set(id, uri);
    return id;
  }

  forget(id: string): void {
    this.clientUris.delete(id);
  }

  toUri(id: string): string {
    return this.clientUris.get(id) ?? this.files?.toUri(id) ?? id;
  }
}
