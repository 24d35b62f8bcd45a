import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocketRule } from '../../src/protocol/socket-rules';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type BrowserName, launchBrowser } from '../support/launch-browser';
import { inExtensionPage } from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

const PROBE = readFileSync(new URL('../fixtures/transparency-probe.html', import.meta.url), 'utf8');

/**
 * Rules that touch no frame of the probe: one for other URLs, one whose payload never comes.
 * With them on, the hook's send and message paths consult the rules for every frame.
 */
const IDLE_RULES: SocketRule[] = [
  {
    id: 'elsewhere',
    name: 'elsewhere',
    enabled: true,
    urlPattern: '*/not-the-probe',
    direction: 'any',
    payload: { kind: 'any' },
    action: { type: 'drop' },
  },
  {
    id: 'never',
    name: 'never',
    enabled: true,
    urlPattern: '',
    direction: 'any',
    payload: { kind: 'text', text: 'a payload the probe never sends' },
    action: { type: 'delay', delayMs: 1000 },
  },
];

async function probe(
  name: BrowserName,
  server: TestServer,
  withExtension: boolean,
  rules: SocketRule[] = [],
) {
  const launched = await launchBrowser(name, { withExtension });
  try {
    if (rules.length > 0) {
      await inExtensionPage(
        launched,
        `await api.storage.local.set({ socketRules: ${JSON.stringify(rules)} });`,
      );
    }
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/probe`);
    return await page.evaluate(
      (url: string) =>
        (window as unknown as { runProbe(url: string): Promise<Record<string, unknown>> }).runProbe(
          url,
        ),
      `${server.wsOrigin}/echo`,
    );
  } finally {
    await launched.close();
  }
}

describe.each(e2eBrowsers())('transparency in %s', (browserName) => {
  let server: TestServer;
  let withExtension: Record<string, unknown>;
  let without: Record<string, unknown>;
  let withRules: Record<string, unknown>;

  beforeAll(async () => {
    server = await startTestServer({ '/probe': PROBE });
    without = await probe(browserName, server, false);
    withExtension = await probe(browserName, server, true);
    withRules = await probe(browserName, server, true, IDLE_RULES);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gives the page the same answers with the extension as without it', () => {
    for (const key of Object.keys(without)) {
      expect(withExtension[key], key).toEqual(without[key]);
    }
    expect(Object.keys(withExtension)).toEqual(Object.keys(without));
  });

  it('gives the same answers with rules on that touch none of its frames', () => {
    for (const key of Object.keys(without)) {
      expect(withRules[key], key).toEqual(without[key]);
    }
    expect(Object.keys(withRules)).toEqual(Object.keys(without));
  });

  it('checks what it claims to check (the native baseline is as expected)', () => {
    expect(without.nameLength).toEqual(['WebSocket', 1, 'function']);
    expect(String((without.toStrings as string[])[0])).toMatch(
      /function WebSocket\(\) \{\s+\[native code\]\s+\}/,
    );
    expect(without.eventOrder).toEqual(['first listener', 'onmessage', 'second listener']);
    expect(without.trusted).toEqual([true, true, 'ping']);
    expect(without.windowMessages).toBe(0);
    expect(without.subclass).toEqual(['hello from Sub', true, true, true, true, true]);
    expect((without.sendWhileConnecting as unknown[])[0]).toBe('InvalidStateError');
    expect(without.sendDetached).toBe('no exception');
    expect(without.detachedEcho).toEqual(['[object ArrayBuffer]', 0]);
    const start = new Set(without.globalsAtStart as string[]);
    expect((without.globalsAtEnd as string[]).filter((name) => !start.has(name))).toEqual([
      'runProbe',
    ]);
  });
});
