// Test-only extension, installed into code-server by the e2e harness next to the real .vsix.
// code-server has no --extensionTestsPath, so this extension plays that role: its command
// loads the bundled suite (out-vscode/index.js) and writes a JSON report the harness reads.
// Paths come from the environment code-server was started with, which the extension host
// inherits:
//   RINGSIDE_VSCODE_TESTS   absolute path of out-vscode/index.js
//   RINGSIDE_TEST_RESULTS   where to write the report
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { SuiteResult } from '../vscode/index';

interface Report extends SuiteResult {
  readonly error?: string;
}

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand('ringsideTest.runSuite', runAndReport));
}

export function deactivate(): void {}

async function runAndReport(): Promise<Report> {
  const suitePath = process.env.RINGSIDE_VSCODE_TESTS;
  const resultsPath = process.env.RINGSIDE_TEST_RESULTS;
  let report: Report;
  try {
    if (!suitePath) throw new Error('RINGSIDE_VSCODE_TESTS is not set in the extension host environment');
    // A plain require of an absolute path, outside the bundle: the suite is rebuilt per run.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by path at run time
    const suite = require(suitePath) as { runSuite(): Promise<SuiteResult> };
    report = await suite.runSuite();
  } catch (e) {
    report = { passed: 0, failed: 1, tests: [], error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  const summary = `ringside tests: ${report.passed} passing, ${report.failed} failing`;
  console.log(summary);
  if (resultsPath) {
    // Written to a temp name and renamed so the harness never reads a half-written file.
    fs.writeFileSync(`${resultsPath}.tmp`, JSON.stringify(report, null, 2));
    fs.renameSync(`${resultsPath}.tmp`, resultsPath);
  }
  void vscode.window.showInformationMessage(summary);
  return report;
}
