/** Document ids for the service: file URIs become file-system paths (so messages show paths, as the CLI's do); other URIs stay as they are. */
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';

export class Paths {
  /** URIs the client used for open documents, so replies name them exactly as it does. */
  private readonly clientUris = new Map<string, string>();

  toId(uri: string): string {
    if (!uri.startsWith('file:')) return uri;
    try {
      return fileURLToPath(uri);
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
    return this.clientUris.get(id) ?? (path.isAbsolute(id) ? pathToFileURL(id).href : id);
  }
}
