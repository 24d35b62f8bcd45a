import { describe, expect, it } from 'vitest';
import { pageHost } from '../../src/session/page-host';
import { SessionStore } from '../../src/session/session-store';

describe('the page the toolbar names', () => {
  it('is the host, with its port, or the URL where there is no host', () => {
    expect(pageHost('https://chat.example.com/room/1?x=2')).toBe('chat.example.com');
    expect(pageHost('http://127.0.0.1:8080/')).toBe('127.0.0.1:8080');
    expect(pageHost('about:blank')).toBe('about:blank');
    expect(pageHost('not a url')).toBe('not a url');
    expect(pageHost(undefined)).toBe('');
  });

  it("is the tab's newest top-frame document, not an iframe's or an imported one's", () => {
    const store = new SessionStore();
    expect(store.currentPage).toBeUndefined();
    store.addDocument({ documentId: 'a', url: 'https://one.test/', startedAt: 10, frameId: 0 });
    store.addDocument({ documentId: 'f', url: 'https://ads.test/', startedAt: 20, frameId: 3 });
    expect(store.currentPage?.url).toBe('https://one.test/');
    store.addDocument({ documentId: 'b', url: 'https://two.test/', startedAt: 30, frameId: 0 });
    expect(pageHost(store.currentPage?.url)).toBe('two.test');
  });
});
