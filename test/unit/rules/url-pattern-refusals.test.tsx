// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PanelState } from '../../../src/panel/panel-state';
import { RulesDialog } from '../../../src/panel/rules/RulesDialog';
import { parseRulesFile, rulesFileText } from '../../../src/rules/rules-file';
import { rulesFromStorage } from '../../../src/rules/rules-storage';
import { globToRegexSource } from '../../../src/rules/url-glob';
import { validateRule } from '../../../src/rules/validate-rule';
import { controls, FakeRules, rule } from '../rules-fixtures';

/**
 * A rule's URL pattern is matched against a socket's `url` as the browser wrote it: always
 * `ws://` or `wss://` (a page's `http://` becomes `ws://`), a lower-case scheme, no spaces or
 * control characters (written as `%20` and the like), no fragment (the WebSocket constructor
 * refuses one). A pattern that could match no such URL is refused with the reason.
 */
const error = (urlPattern: string) => {
  const checked = validateRule(rule('r', { name: 'chat', urlPattern }));
  return 'error' in checked ? checked.error : 'valid';
};

const SCHEME =
  /^Rule "chat": urlPattern must start with ws:\/\/, wss:\/\/ or \*, as every socket's URL does/;
const SPACE = /^Rule "chat": urlPattern may not contain spaces or control characters/;
const FRAGMENT = /^Rule "chat": urlPattern may not contain "#": a socket's URL has no fragment/;

describe('a URL pattern', () => {
  it.each([
    [''], // every socket
    ['*'],
    ['*/chat'],
    ['ws://127.0.0.1:*/mock-chat'],
    ['wss://*.example.com/live*'],
    ['wss://example.com/socket?room=general'],
    ['ws*://example.com/*'],
    ['w*'],
    ['ws:/*'],
    ['wss://x.test/%20spaced%23hash'],
    [`wss://${'u'.repeat(1994)}`],
  ])('%j is one a socket URL can match', (pattern) => {
    expect(error(pattern)).toBe('valid');
  });

  it.each([
    ['http://127.0.0.1:*/chat', SCHEME],
    ['https://example.com/*', SCHEME],
    ['WSS://example.com/*', SCHEME],
    ['example.com/chat', SCHEME],
    ['ws:/example.com/chat', SCHEME],
    ['wss//example.com/*', SCHEME],
    ['h*', SCHEME],
    ['ws://example.com/chat room', SPACE],
    ['*/chat\troom', SPACE],
    ['*/chat\n', SPACE],
    ['*/chat\u0000', SPACE],
    ['wss://example.com/\u00a0*', SPACE],
    ['wss://example.com/chat#top', FRAGMENT],
    ['*#*', FRAGMENT],
  ])('%j is refused: no socket URL could match it', (pattern, reason) => {
    expect(error(pattern)).toMatch(reason);
    // And indeed none of the URLs the browser could give matches it.
    const source = globToRegexSource(pattern)!;
    for (const url of [
      'ws://127.0.0.1:8080/chat',
      'wss://example.com/chat',
      'ws://example.com/chat%20room',
    ]) {
      expect(new RegExp(source).test(url)).toBe(false);
    }
  });

  it('in a rules file, refuses the file, naming the rule', () => {
    const text = rulesFileText([
      rule('a', { name: 'first' }),
      rule('b', { urlPattern: 'http://x/*' }),
    ]);
    expect(parseRulesFile(text)).toEqual({
      error: expect.stringMatching(/^Rule 2 \("Rule b"\): urlPattern must start with ws:\/\//),
    });
  });

  it('in storage, is skipped with its rule', () => {
    expect(
      rulesFromStorage([rule('a'), rule('b', { urlPattern: 'http://x/*' })]).map(({ id }) => id),
    ).toEqual(['a']);
  });
});

describe('the rule form', () => {
  let root: HTMLElement;
  const { $, click, type } = controls(() => root);
  beforeEach(() => {
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    render(null, root);
    root.remove();
  });

  it('refuses a URL pattern no socket could have, says why, and saves it once corrected', async () => {
    const store = new FakeRules();
    const state = new PanelState(undefined, (callback) => callback());
    state.rulesOpen.value = true;
    await act(() => render(<RulesDialog state={state} store={store} />, root));
    await click($('rule-add'));
    await type('rule-name', 'chat');
    await type('rule-url', 'https://example.com/chat');
    await click($('rule-save'));
    expect($('rule-form-error')!.textContent).toMatch(SCHEME);
    expect($('rule-form-error')!.textContent).toMatch(/http:\/\/ as ws:\/\//);
    await type('rule-url', 'wss://example.com/chat room');
    await click($('rule-save'));
    expect($('rule-form-error')!.textContent).toMatch(SPACE);
    expect(store.saved).toEqual([]);
    // Spaces around the pattern are the form's to trim, not a reason to refuse.
    await type('rule-url', '  wss://example.com/chat  ');
    await click($('rule-save'));
    expect($('rule-form')).toBeNull();
    expect(store.saved.at(-1)!.map(({ urlPattern }) => urlPattern)).toEqual([
      'wss://example.com/chat',
    ]);
  });
});
