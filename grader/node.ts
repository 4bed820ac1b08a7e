/** Finding check files on disk (Node): a check file, an exercise folder, or a folder of exercises. */
import * as fs from 'fs';
import * as path from 'path';
import { nodeHost } from '../language/nodeHost';
import type { GradeHost } from './grade';

export const CHECK_FILE = 'check.json';

export function nodeGradeHost(cwd = process.cwd()): GradeHost {
  // Relative inside cwd, else absolute: `../../tmp/x.rasm` names nothing a student recognises.
  const display = (p: string) => {
    const r = path.relative(cwd, p);
    return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
  };
  return { ...nodeHost, display };
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
  if (!found.length) throw new Error(notFound(target, abs));
  return found;
}

/**
 * Where the search looked, and the folder to give when the exercises are one level further down
 * (`ringside check` at the course's root, whose exercises are in exercises/*): the search does not
 * go there by itself, where it could grade a stray check.json (a copy, a template) too.
 */
function notFound(target: string, abs: string): string {
  const where = `no ${CHECK_FILE} in '${target}' (${abs}) or in its folders one level down`;
  const deeper = fs
    .readdirSync(abs, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .filter((e) => safeList(path.join(abs, e.name)).some((s) => fs.existsSync(path.join(abs, e.name, s, CHECK_FILE))))
    .map((e) => path.join(target === '.' ? '' : target, e.name))
    .sort();
  if (deeper.length) return `${where}; the exercises are in ${deeper.map((d) => `'${d}'`).join(', ')}: try 'ringside check ${deeper[0]}'`;
  return `${where}: give an exercise's folder, its ${CHECK_FILE}, or the folder of the exercises`;
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
