/** The service's host on Node: files from disk, paths resolved as the assembler's nodeHost does, workspace folders scanned for .rasm files. */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import type { ServiceHost } from '../service/languageService';
import { readSourceFile } from '../nodeHost';
import type { FileUrls } from './paths';

export const nodeFileUrls: FileUrls = {
  toPath: (uri) => fileURLToPath(uri),
  toUri: (id) => (path.isAbsolute(id) ? pathToFileURL(id).href : undefined),
};

const SKIP = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);
const MAX_FILES = 5000;
const SCAN_TTL_MS = 10_000;

export function nodeServiceHost(folders: () => string[]): ServiceHost {
  let scanned: { at: number; files: string[] } | undefined;
  return {
    readFile(id) {
      if (!path.isAbsolute(id)) return undefined;
      // The same rule as the assembler's host: regular files up to 64 MiB only.
      const r = readSourceFile(id);
      return 'text' in r ? r.text : undefined;
    },
    resolve(from, rel) {
      // Untitled documents resolve includes against the first workspace folder.
      const base = path.isAbsolute(from) ? path.dirname(from) : folders()[0] ?? process.cwd();
      return path.resolve(base, rel);
    },
    readDirectory(dir) {
      try {
        return fs.readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() }));
      } catch {
        return undefined;
      }
    },
    workspaceFiles() {
      const now = Date.now();
      if (scanned && now - scanned.at < SCAN_TTL_MS) return scanned.files;
      const files: string[] = [];
      const walk = (dir: string, depth: number) => {
        if (files.length >= MAX_FILES || depth > 12) return;
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch {
          return;
        }
        for (const e of entries) {
          if (e.name.startsWith('.') || SKIP.has(e.name)) continue;
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p, depth + 1);
          else if (e.name.endsWith('.rasm') && files.length < MAX_FILES) files.push(p);
        }
      };
      for (const f of folders()) walk(f, 0);
      scanned = { at: now, files };
      return files;
    },
  };
}
