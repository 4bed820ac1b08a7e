/** The server speaks the editor's display language, which LSP `initialize` carries as `locale`. */
import * as assert from 'assert';
import { PassThrough } from 'stream';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import { createConnection } from 'vscode-languageserver/node';
import { startServer } from '../../language/server/server';
import { Paths } from '../../language/server/paths';
import { nodeFileUrls } from '../../language/server/nodeServiceHost';
import { setLocale } from '../../language/l10n';
import { lines, memoryServiceHost } from './helpers';

const MAIN = 'file:///w/main.rasm';
const TEXT = lines('.ring 3', 'start:', '    call start', '    cli', '    mob r1, 1');

interface Answers {
  hover: string;
  diagnostics: Diagnostic[];
}

/** Initialize a server with `locale`, open TEXT, and ask for the hover on `call` and the diagnostics. */
async function ask(locale: string | undefined): Promise<Answers> {
  const up = new PassThrough();
  const down = new PassThrough();
  const server = createConnection(up, down);
  startServer(server, { host: () => memoryServiceHost(new Map()), paths: new Paths(nodeFileUrls), diskTtlMs: 0 });
  server.listen();
  const client: MessageConnection = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const published = new Promise<PublishDiagnosticsParams>((resolve) => client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => p.uri === MAIN && resolve(p)));
  client.listen();
  try {
    await client.sendRequest('initialize', { processId: null, rootUri: 'file:///w', capabilities: {}, workspaceFolders: [{ uri: 'file:///w', name: 'w' }], ...(locale ? { locale } : {}) });
    await client.sendNotification('initialized', {});
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: MAIN, languageId: 'r32asm', version: 1, text: TEXT } });
    const { diagnostics } = await published;
    const hover = (await client.sendRequest('textDocument/hover', { textDocument: { uri: MAIN }, position: { line: 2, character: 5 } })) as { contents: { value: string } };
    return { hover: hover.contents.value, diagnostics };
  } finally {
    client.dispose();
    server.dispose();
  }
}

const message = (a: Answers, code: string) => a.diagnostics.find((d) => d.code === code)?.message ?? `(no ${code} among ${a.diagnostics.map((d) => d.code).join(', ')})`;

describe('lsp: hovers and diagnostics in the display language', () => {
  // The server's language is the process's: leave English for the suites that follow.
  after(() => setLocale(undefined));

  it("locale 'ko-KR': a Korean hover and Korean diagnostics", async () => {
    const a = await ask('ko-KR');
    assert.match(a.hover, /^\*\*call\*\* — 서브루틴을 호출합니다\./);
    assert.match(a.hover, /\*\*특권:\*\* 비특권 명령: 어느 CPL에서나 실행됩니다\./);
    assert.match(message(a, 'unknown-mnemonic'), /^알 수 없는 명령어 'mob'; .*'mov'.*을\(를\) 뜻했나요\?$/);
    assert.strictEqual(message(a, 'privileged-instruction'), "'cli'은(는) 특권 명령입니다: .ring 3(으)로 선언한 코드에서는 CPL 3에서 #GP(트랩 13)로 트랩됩니다");
  });

  for (const locale of [undefined, 'en']) {
    it(`locale ${locale ?? 'absent'}: English stays`, async () => {
      const a = await ask(locale);
      assert.match(a.hover, /^\*\*call\*\* — Call a subroutine\./);
      assert.match(a.hover, /\*\*Privilege:\*\* Unprivileged: runs at any CPL\./);
      assert.match(message(a, 'unknown-mnemonic'), /^unknown instruction 'mob'; did you mean .*'mov'.*\?$/);
      assert.strictEqual(message(a, 'privileged-instruction'), "'cli' is privileged: in code declared .ring 3 it traps with #GP (trap 13) at CPL 3");
    });
  }
});
