/** `npm run docs`: regenerate docs/isa.md from the instruction table and docs/isa-choices.md. */
import * as fs from 'fs';
import * as path from 'path';
import { generateIsaDoc } from './isa-doc';

const root = process.cwd();
const choices = fs.readFileSync(path.join(root, 'docs', 'isa-choices.md'), 'utf8');
const target = path.join(root, 'docs', 'isa.md');
fs.writeFileSync(target, generateIsaDoc(choices));
process.stdout.write(`wrote ${path.relative(root, target)}\n`);
