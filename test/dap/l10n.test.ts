/** The adapter speaks the editor's display language, which DAP `initialize` carries as `locale`. */
import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { failure, fixture, HELLO, move, newClient, Session } from './helpers';

interface Started extends Session {
  init: DebugProtocol.InitializeResponse;
  stop: DebugProtocol.StoppedEvent;
}

/** Initialize with `locale`, stop at the first `write` system call (an exception filter). */
async function start(locale: string | undefined, program = HELLO, filterOptions: DebugProtocol.ExceptionFilterOptions[] = [{ filterId: 'syscall', condition: 'write' }]): Promise<Started> {
  const s = await newClient();
  const init = await s.dc.initializeRequest({ adapterID: 'ringside', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', ...(locale ? { locale } : {}) });
  const stopped = s.dc.waitForEvent('stopped');
  await Promise.all([
    s.dc.waitForEvent('initialized').then(async () => {
      await s.dc.setExceptionBreakpointsRequest({ filters: [], filterOptions });
      await s.dc.configurationDoneRequest();
    }),
    s.dc.launchRequest({ program } as DebugProtocol.LaunchRequestArguments),
  ]);
  return { ...s, init, stop: (await stopped) as DebugProtocol.StoppedEvent };
}

describe('dap: messages in the display language', () => {
  let s: Started | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  it("locale 'ko': Korean filter labels, stop reason, exception text and step text", async () => {
    s = await start('ko');
    const filters = s.init.body!.exceptionBreakpointFilters!;
    assert.strictEqual(filters.find((f) => f.filter === 'syscall')!.label, '시스템 콜');
    assert.strictEqual(filters.find((f) => f.filter === 'vm-exit')!.label, 'VM exit(가상 머신 종료)');
    assert.strictEqual(s.stop.body.reason, 'exception', 'the DAP reason itself stays a protocol word');
    assert.match(s.stop.body.description!, /^링 3에서 시스템 콜 write \(1\)$/);
    const info = (await s.dc.exceptionInfoRequest({ threadId: s.stop.body.threadId! })).body;
    assert.strictEqual(info.details!.typeName, '시스템 콜');
    assert.strictEqual(info.description, s.stop.body.description);
    const step = await move(s.dc, () => s!.dc.stepInRequest({ threadId: 1 }));
    const repl = (expression: string) => s!.dc.evaluateRequest({ expression, context: 'repl' });
    assert.match((await repl('help')).body.result, /^Ringside 디버그 콘솔\n {2}EXPR +식 계산/);
    assert.match(await failure(repl('info bogus')), /알 수 없는 info 명령 'bogus'/);
    assert.match((await repl('info exits')).body.result, /^아직 실행된 VM이 없습니다$/);
    assert.match(step.body.description!, /^한 단계 실행: 0x[0-9a-f]{8} \(링 0, \d+번째 명령어, [\d,]+ 사이클\)$/);
  });

  it("locale 'ko': the emulator's own stop message (a triple fault) is said in Korean too", async () => {
    s = await start('ko', fixture('triple.rasm'), [{ filterId: 'triple-fault' }]);
    assert.strictEqual(s.stop.body.description, 'pc 0x0000001c에서 트리플 폴트: 폴트를 전달하는 중에 또 폴트가 났습니다(IVT를 설정했나요? 커널 스택은 매핑되어 있나요?)');
    assert.strictEqual((await s.dc.exceptionInfoRequest({ threadId: 1 })).body.details!.typeName, '트리플 폴트');
  });

  for (const locale of [undefined, 'en']) {
    it(`locale ${locale ?? 'absent'}: English stays`, async () => {
      s = await start(locale);
      assert.strictEqual(s.init.body!.exceptionBreakpointFilters!.find((f) => f.filter === 'syscall')!.label, 'System call');
      assert.strictEqual(s.stop.body.description, 'system call write (1) from ring 3');
      assert.match((await s.dc.evaluateRequest({ expression: 'help', context: 'repl' })).body.result, /^Ringside Debug Console\n/);
      const step = await move(s.dc, () => s!.dc.stepInRequest({ threadId: 1 }));
      assert.match(step.body.description!, /^stepped to 0x[0-9a-f]{8} \(ring 0, instruction \d+, [\d,]+ cycles\)$/);
    });
  }
});
