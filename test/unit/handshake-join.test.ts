import { describe, expect, it } from 'vitest';
import type { Handshake } from '../../src/protocol/handshake';
import {
  HANDSHAKE_CLOCK_SKEW_MS,
  HANDSHAKE_MAX_DELAY_MS,
  HandshakeJoin,
  MAX_PENDING,
} from '../../src/session/handshake-join';
import type { Connection } from '../../src/session/session-model';

const URL_A = 'wss://page.test/live';
const URL_B = 'wss://page.test/other';

function connection(id: number, overrides: Partial<Connection> = {}): Connection {
  return {
    key: `doc#${id}`,
    documentId: 'doc',
    id,
    frameId: 0,
    pageUrl: 'https://page.test/',
    requestedUrl: URL_A,
    url: URL_A,
    protocols: [],
    protocol: '',
    extensions: '',
    state: 'connecting',
    createdAt: 10_000,
    errors: 0,
    sent: { count: 0, bytes: 0 },
    received: { count: 0, bytes: 0 },
    peakBufferedAmount: 0,
    ...overrides,
  };
}

function handshake(requestId: string, overrides: Partial<Handshake> = {}): Handshake {
  return { requestId, frameId: 0, url: URL_A, startedAt: 10_000, ...overrides };
}

describe('HandshakeJoin', () => {
  it('joins a handshake to the connection of the same frame and URL', () => {
    const join = new HandshakeJoin();
    const c = connection(1);
    const h = handshake('r1', { startedAt: 10_005 });
    expect(join.update(h)).toBe(false);
    expect(c.handshake).toBeUndefined();
    expect(join.join([c])).toBe(true);
    expect(c.handshake).toBe(h);
  });

  it('has nothing to join with no handshakes waiting', () => {
    const join = new HandshakeJoin();
    const c = connection(1);
    expect(join.join([c])).toBe(false);
    expect(c.handshake).toBeUndefined();
  });

  it('joins two connections to the same URL in one frame in time order', () => {
    const join = new HandshakeJoin();
    const first = connection(1, { createdAt: 10_000 });
    const second = connection(2, { createdAt: 10_050 });
    const earlier = handshake('r-early', { startedAt: 10_002 });
    const later = handshake('r-late', { startedAt: 10_060 });
    // Reported out of order: the join goes by start time, not by arrival.
    join.update(later);
    join.update(earlier);
    expect(join.join([first, second])).toBe(true);
    expect(first.handshake?.requestId).toBe('r-early');
    expect(second.handshake?.requestId).toBe('r-late');
  });

  it('joins each handshake to at most one connection', () => {
    const join = new HandshakeJoin();
    const first = connection(1, { createdAt: 10_000 });
    const second = connection(2, { createdAt: 10_010 });
    join.update(handshake('r1', { startedAt: 10_020 }));
    expect(join.join([first, second])).toBe(true);
    expect(first.handshake?.requestId).toBe('r1');
    expect(second.handshake).toBeUndefined();
    // Joined handshakes are no longer waiting: a later join finds nothing for the second.
    expect(join.join([first, second])).toBe(false);
    expect(second.handshake).toBeUndefined();
  });

  it('joins a connection whose handshake comes later', () => {
    const join = new HandshakeJoin();
    const first = connection(1, { createdAt: 10_000 });
    const second = connection(2, { createdAt: 10_010 });
    join.update(handshake('r1', { startedAt: 10_001 }));
    join.join([first, second]);
    join.update(handshake('r2', { startedAt: 10_015 }));
    expect(join.join([first, second])).toBe(true);
    expect(first.handshake?.requestId).toBe('r1');
    expect(second.handshake?.requestId).toBe('r2');
  });

  it('does not join a handshake of another frame', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { frameId: 0 });
    join.update(handshake('r1', { frameId: 4 }));
    expect(join.join([c])).toBe(false);
    expect(c.handshake).toBeUndefined();
    // It waits for a connection in its own frame.
    const inFrame = connection(2, { frameId: 4 });
    expect(join.join([c, inFrame])).toBe(true);
    expect(c.handshake).toBeUndefined();
    expect(inFrame.handshake?.requestId).toBe('r1');
  });

  it('does not join a handshake to another URL, even a prefix of it', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { url: URL_B });
    join.update(handshake('r1', { url: URL_A }));
    join.update(handshake('r2', { url: `${URL_B}?x=1` }));
    expect(join.join([c])).toBe(false);
    expect(c.handshake).toBeUndefined();
  });

  it('matches the URL the socket connected to, not the one the page asked for', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { requestedUrl: '/live', url: URL_A });
    join.update(handshake('r1', { url: URL_A }));
    expect(join.join([c])).toBe(true);
    expect(c.handshake?.requestId).toBe('r1');
  });

  it('does not join a handshake that starts beyond the longest delay', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { createdAt: 10_000 });
    join.update(handshake('r1', { startedAt: 10_000 + HANDSHAKE_MAX_DELAY_MS + 1 }));
    expect(join.join([c])).toBe(false);
    expect(c.handshake).toBeUndefined();
  });

  it('joins a handshake that starts at the longest delay exactly', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { createdAt: 10_000 });
    join.update(handshake('r1', { startedAt: 10_000 + HANDSHAKE_MAX_DELAY_MS }));
    expect(join.join([c])).toBe(true);
  });

  it('joins a handshake that starts a little before the connection (clock skew)', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { createdAt: 10_000 });
    join.update(handshake('r1', { startedAt: 10_000 - HANDSHAKE_CLOCK_SKEW_MS / 2 }));
    expect(join.join([c])).toBe(true);
    expect(c.handshake?.requestId).toBe('r1');
  });

  it('joins at the skew tolerance exactly, but not beyond it', () => {
    const join = new HandshakeJoin();
    const atLimit = connection(1, { createdAt: 10_000 });
    join.update(handshake('r1', { startedAt: 10_000 - HANDSHAKE_CLOCK_SKEW_MS }));
    expect(join.join([atLimit])).toBe(true);

    const other = new HandshakeJoin();
    const beyond = connection(2, { createdAt: 10_000 });
    other.update(handshake('r2', { startedAt: 10_000 - HANDSHAKE_CLOCK_SKEW_MS - 1 }));
    expect(other.join([beyond])).toBe(false);
    expect(beyond.handshake).toBeUndefined();
  });

  it('skips a handshake too early for a connection, joining the next that fits', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { createdAt: 20_000 });
    join.update(handshake('stale', { startedAt: 20_000 - HANDSHAKE_CLOCK_SKEW_MS - 500 }));
    join.update(handshake('fits', { startedAt: 20_010 }));
    expect(join.join([c])).toBe(true);
    expect(c.handshake?.requestId).toBe('fits');
  });

  it('skips imported connections and connections that already have a handshake', () => {
    const join = new HandshakeJoin();
    const imported = connection(1, { imported: 'session.har' });
    const own = handshake('from-file');
    const already = connection(2, { handshake: own });
    join.update(handshake('r1'));
    expect(join.join([imported, already])).toBe(false);
    expect(imported.handshake).toBeUndefined();
    expect(already.handshake).toBe(own);
    // The handshake still waits for the connection it belongs to.
    const live = connection(3);
    expect(join.join([imported, already, live])).toBe(true);
    expect(live.handshake?.requestId).toBe('r1');
  });

  it("replaces a joined connection's handshake as updates arrive", () => {
    const join = new HandshakeJoin();
    const c = connection(1);
    join.update(handshake('r1', { startedAt: 10_001 }));
    join.join([c]);
    const updated = handshake('r1', {
      startedAt: 10_001,
      status: 101,
      statusLine: 'HTTP/1.1 101 Switching Protocols',
      respondedAt: 10_020,
    });
    expect(join.update(updated)).toBe(true);
    expect(c.handshake).toBe(updated);
    // An update of a handshake no connection has is not a change.
    expect(join.update(handshake('r2', { url: URL_B }))).toBe(false);
    expect(c.handshake).toBe(updated);
  });

  it('joins the newest version of a handshake updated while waiting', () => {
    const join = new HandshakeJoin();
    join.update(handshake('r1', { startedAt: 10_001 }));
    const updated = handshake('r1', {
      startedAt: 10_001,
      error: 'net::ERR_FAILED',
      endedAt: 10_030,
    });
    expect(join.update(updated)).toBe(false);
    const c = connection(1);
    expect(join.join([c])).toBe(true);
    expect(c.handshake).toBe(updated);
    const second = connection(2, { createdAt: 10_002 });
    expect(join.join([second])).toBe(false);
  });

  it(`keeps at most MAX_PENDING unjoined handshakes, the newest`, () => {
    const join = new HandshakeJoin();
    for (let i = 0; i <= MAX_PENDING; i++) {
      join.update(handshake(`r${i}`, { url: `wss://page.test/${i}`, startedAt: 10_000 + i }));
    }
    const oldest = connection(1, { url: 'wss://page.test/0', createdAt: 10_000 });
    const second = connection(2, { url: 'wss://page.test/1', createdAt: 10_000 });
    const newest = connection(3, { url: `wss://page.test/${MAX_PENDING}`, createdAt: 10_000 });
    expect(join.join([oldest, second, newest])).toBe(true);
    expect(oldest.handshake).toBeUndefined();
    expect(second.handshake?.requestId).toBe('r1');
    expect(newest.handshake?.requestId).toBe(`r${MAX_PENDING}`);
  });

  it('counts an update as new for the bound: the updated handshake stays', () => {
    const join = new HandshakeJoin();
    for (let i = 0; i < MAX_PENDING; i++) {
      join.update(handshake(`r${i}`, { url: `wss://page.test/${i}`, startedAt: 10_000 + i }));
    }
    join.update(handshake('r0', { url: 'wss://page.test/0', startedAt: 10_000, sentAt: 10_001 }));
    join.update(handshake('extra', { url: URL_B }));
    const zero = connection(1, { url: 'wss://page.test/0' });
    const one = connection(2, { url: 'wss://page.test/1' });
    join.join([zero, one]);
    expect(zero.handshake?.requestId).toBe('r0');
    expect(one.handshake).toBeUndefined();
  });

  it('forgets connections that are gone: a late update of theirs joins no other connection', () => {
    const join = new HandshakeJoin();
    const kept = connection(1, { url: URL_A });
    const gone = connection(2, { url: URL_B });
    join.update(handshake('ra', { url: URL_A }));
    join.update(handshake('rb', { url: URL_B }));
    join.join([kept, gone]);
    expect(gone.handshake?.requestId).toBe('rb');

    join.forget((c) => c !== gone);
    const lateForGone = handshake('rb', { url: URL_B, endedAt: 10_100 });
    expect(join.update(lateForGone)).toBe(false);
    expect(gone.handshake).not.toBe(lateForGone);
    const lateForKept = handshake('ra', { url: URL_A, endedAt: 10_100 });
    expect(join.update(lateForKept)).toBe(true);
    expect(kept.handshake).toBe(lateForKept);
    // A new socket to the same URL in the same frame, at once: not given the gone one's handshake.
    const next = connection(3, { url: URL_B });
    expect(join.join([kept, next])).toBe(false);
    expect(next.handshake).toBeUndefined();
  });
});
