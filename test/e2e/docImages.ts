// RINGSIDE_DOCS_IMAGES=1 npm run test:e2e refreshes the README's pictures from this run's
// screenshots (docs/images/, committed). Off by default: a test run never edits the tree.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Screenshot of this run → picture in docs/images. */
const PICTURES: Record<string, string> = {
  '10-stopped-at-breakpoint.png': 'syscall-1-breakpoint.png',
  '11-stepped-into-kernel.png': 'syscall-2-kernel.png',
  '13-ring-transitions.png': 'syscall-3-transitions.png',
  '12-page-tables.png': 'page-tables.png',
  '30-hypervisor-ept-page-tables.png': 'hypervisor-ept-page-tables.png',
  '31-hypervisor-ept-transitions.png': 'hypervisor-ept-transitions.png',
  '35-hypervisor-ept-step-back.png': 'step-back.png',
  '32-after-time-travel.png': 'time-travel.png',
  '33-hypervisor-shadow-transitions.png': 'hypervisor-shadow-transitions.png',
  '34-hypervisor-shadow-page-tables.png': 'hypervisor-shadow-page-tables.png',
  '31-web-page-tables.png': 'web-page-tables.png',
  '41-walkthrough-ticked.png': 'walkthrough.png',
  '42-test-explorer.png': 'test-explorer.png',
  '43-debug-failed-check.png': 'debug-failed-check.png',
  '51-korean-hover.png': 'korean-hover.png',
};

/** The course pass's pictures (RINGSIDE_E2E_ONLY=course takes no others). */
export const COURSE_PICTURES = Object.keys(PICTURES).filter((shot) => /^[45]\d-/.test(shot));

export function publishDocImages(artifacts: string, dest: string, shots = Object.keys(PICTURES)): void {
  fs.mkdirSync(dest, { recursive: true });
  for (const [shot, picture] of Object.entries(PICTURES).filter(([s]) => shots.includes(s))) {
    const from = path.join(artifacts, shot);
    if (!fs.existsSync(from)) throw new Error(`cannot publish ${picture}: ${shot} was not taken`);
    fs.copyFileSync(from, path.join(dest, picture));
    console.log(`e2e: docs/images/${picture} ← ${shot}`);
  }
}
