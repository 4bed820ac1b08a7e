/** Finding check files on disk (Node): a check file, an exercise folder, or a folder of exercises. */
import * as fs from 'fs';
import * as path from 'path';
import { nodeHost } from '../language/nodeHost';
import type { GradeHost } from './grade';

export const CHECK_FILE = 'check.json';

export function nodeGradeHost(cwd = process.cwd()): GradeHost {
  return { ...nodeHost, display: (p) => path.relative(cwd, p) || p };
}

/** The check files a target names: itself, its check.json, or its subfolders' check.json (sorted). */
export function findCheckFiles(target: string): string[] {
  const abs = path.resolve(target);
  if (!fs.existsSync(abs)) throw new Error(`${target}: no such file or folder`);
  if (fs.statSync(abs).isFile()) return [abs];
  const own = path.join(abs, CHECK_FILE);
  if (fs.existsSync(own)) return [own];
  const found = fs
    .readdirSync(abs, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(abs, e.name, CHECK_FILE)))
    .map((e) => path.join(abs, e.name, CHECK_FILE))
    .sort();
  if (!found.length) throw new Error(`${target}: no ${CHECK_FILE} here or in its folders`);
  return found;
}
