import { describe, expect, it } from 'vitest';
import type { Handshake } from '../../src/protocol/handshake';
import {
  HANDSHAKE_CLOCK_SKEW_MS,
  HANDSHAKE_MAX_DELAY_MS,
  HANDSHAKE_SETTLE_MS,
  HandshakeJoin,
  MAX_PENDING,
  NETWORK_LOG_MATCH_MS,
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

const noDrop = () => {
  throw new Error('nothing to drop');
};

describe('HandshakeJoin', () => {
  it('joins a handshake to the connection of the same frame and URL', () => {
    const join = new HandshakeJoin();
    const c = connection(1);
    const h = handshake('r1', { startedAt: 10_005 });
    expect(join.update(h, 0)).toBeUndefined();
    expect(c.handshake).toBeUndefined();
    expect(join.join([c], noDrop)).toBe(true);
    expect(c.handshake).toBe(h);
  });

  it('has nothing to join with no handshakes waiting', () => {
    const join = new HandshakeJoin();
    const c = connection(1);
    expect(join.join([c], noDrop)).toBe(false);
    expect(c.handshake).toBeUndefined();
  });

  it('joins two connections to the same URL in one frame in time order', () => {
    const join = new HandshakeJoin();
    const first = connection(1, { createdAt: 10_000 });
    const second = connection(2, { createdAt: 10_050 });
    const earlier = handshake('r-early', { startedAt: 10_002 });
    const later = handshake('r-late', { startedAt: 10_060 });
    // Reported out of order: the join goes by start time, not by arrival.
    join.update(later, 0);
    join.update(earlier, 0);
    expect(join.join([first, second], noDrop)).toBe(true);
    expect(first.handshake?.requestId).toBe('r-early');
    expect(second.handshake?.requestId).toBe('r-late');
  });

  it('joins each handshake to at most one connection', () => {
    const join = new HandshakeJoin();
    const first = connection(1, { createdAt: 10_000 });
    const second = connection(2, { createdAt: 10_010 });
    join.update(handshake('r1', { startedAt: 10_020 }), 0);
    expect(join.join([first, second], noDrop)).toBe(true);
    expect(first.handshake?.requestId).toBe('r1');
    expect(second.handshake).toBeUndefined();
    // Joined handshakes are no longer waiting: a later join finds nothing for the second.
    expect(join.join([first, second], noDrop)).toBe(false);
    expect(second.handshake).toBeUndefined();
  });

  it('joins a connection whose handshake comes later', () => {
    const join = new HandshakeJoin();
    const first = connection(1, { createdAt: 10_000 });
    const second = connection(2, { createdAt: 10_010 });
    join.update(handshake('r1', { startedAt: 10_001 }), 0);
    join.join([first, second], noDrop);
    join.update(handshake('r2', { startedAt: 10_015 }), 0);
    expect(join.join([first, second], noDrop)).toBe(true);
    expect(first.handshake?.requestId).toBe('r1');
    expect(second.handshake?.requestId).toBe('r2');
  });

  it('does not join a handshake of another frame', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { frameId: 0 });
    join.update(handshake('r1', { frameId: 4 }), 0);
    expect(join.join([c], noDrop)).toBe(false);
    expect(c.handshake).toBeUndefined();
    // It waits for a connection in its own frame.
    const inFrame = connection(2, { frameId: 4 });
    expect(join.join([c, inFrame], noDrop)).toBe(true);
    expect(c.handshake).toBeUndefined();
    expect(inFrame.handshake?.requestId).toBe('r1');
  });

  it('does not join a handshake to another URL, even a prefix of it', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { url: URL_B });
    join.update(handshake('r1', { url: URL_A }), 0);
    join.update(handshake('r2', { url: `${URL_B}?x=1` }), 0);
    expect(join.join([c], noDrop)).toBe(false);
    expect(c.handshake).toBeUndefined();
  });

  it('matches the URL the socket connected to, not the one the page asked for', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { requestedUrl: '/live', url: URL_A });
    join.update(handshake('r1', { url: URL_A }), 0);
    expect(join.join([c], noDrop)).toBe(true);
    expect(c.handshake?.requestId).toBe('r1');
  });

  it('does not join a handshake that starts beyond the longest delay', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { createdAt: 10_000 });
    join.update(handshake('r1', { startedAt: 10_000 + HANDSHAKE_MAX_DELAY_MS + 1 }), 0);
    expect(join.join([c], noDrop)).toBe(false);
    expect(c.handshake).toBeUndefined();
  });

  it('joins a handshake that starts at the longest delay exactly', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { createdAt: 10_000 });
    join.update(handshake('r1', { startedAt: 10_000 + HANDSHAKE_MAX_DELAY_MS }), 0);
    expect(join.join([c], noDrop)).toBe(true);
  });

  it('joins a handshake that starts a little before the connection (clock skew)', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { createdAt: 10_000 });
    join.update(handshake('r1', { startedAt: 10_000 - HANDSHAKE_CLOCK_SKEW_MS / 2 }), 0);
    expect(join.join([c], noDrop)).toBe(true);
    expect(c.handshake?.requestId).toBe('r1');
  });

  it('joins at the skew tolerance exactly, but not beyond it', () => {
    const join = new HandshakeJoin();
    const atLimit = connection(1, { createdAt: 10_000 });
    join.update(handshake('r1', { startedAt: 10_000 - HANDSHAKE_CLOCK_SKEW_MS }), 0);
    expect(join.join([atLimit], noDrop)).toBe(true);

    const other = new HandshakeJoin();
    const beyond = connection(2, { createdAt: 10_000 });
    other.update(handshake('r2', { startedAt: 10_000 - HANDSHAKE_CLOCK_SKEW_MS - 1 }), 0);
    expect(other.join([beyond], noDrop)).toBe(false);
    expect(beyond.handshake).toBeUndefined();
  });

  it('skips a handshake too early for a connection, joining the next that fits', () => {
    const join = new HandshakeJoin();
    const c = connection(1, { createdAt: 20_000 });
    join.update(handshake('stale', { startedAt: 20_000 - HANDSHAKE_CLOCK_SKEW_MS - 500 }), 0);
    join.update(handshake('fits', { startedAt: 20_010 }), 0);
    expect(join.join([c], noDrop)).toBe(true);
    expect(c.handshake?.requestId).toBe('fits');
  });

  it('skips imported connections and connections that already have a handshake', () => {
    const join = new HandshakeJoin();
    const imported = connection(1, { imported: 'session.har' });
    const own = handshake('from-file');
    const already = connection(2, { handshake: own });
    join.update(handshake('r1'), 0);
    expect(join.join([imported, already], noDrop)).toBe(false);
    expect(imported.handshake).toBeUndefined();
    expect(already.handshake).toBe(own);
    // The handshake still waits for the connection it belongs to.
    const live = connection(3);
    expect(join.join([imported, already, live], noDrop)).toBe(true);
    expect(live.handshake?.requestId).toBe('r1');
  });

  it("replaces a joined connection's handshake as updates arrive", () => {
    const join = new HandshakeJoin();
    const c = connection(1);
    join.update(handshake('r1', { startedAt: 10_001 }), 0);
    join.join([c], noDrop);
    const updated = handshake('r1', {
      startedAt: 10_001,
      status: 101,
      statusLine: 'HTTP/1.1 101 Switching Protocols',
      respondedAt: 10_020,
    });
    expect(join.update(updated, 0)).toBe(c);
    expect(c.handshake).toBe(updated);
    // An update of a handshake no connection has is not a change.
    expect(join.update(handshake('r2', { url: URL_B }), 0)).toBeUndefined();
    expect(c.handshake).toBe(updated);
  });

  it('joins the newest version of a handshake updated while waiting', () => {
    const join = new HandshakeJoin();
    join.update(handshake('r1', { startedAt: 10_001 }), 0);
    const updated = handshake('r1', {
      startedAt: 10_001,
      error: 'net::ERR_FAILED',
      endedAt: 10_030,
    });
    expect(join.update(updated, 0)).toBeUndefined();
    const c = connection(1);
    expect(join.join([c], noDrop)).toBe(true);
    expect(c.handshake).toBe(updated);
    const second = connection(2, { createdAt: 10_002 });
    expect(join.join([second], noDrop)).toBe(false);
  });

  it(`keeps at most MAX_PENDING unjoined handshakes, the newest`, () => {
    const join = new HandshakeJoin();
    for (let i = 0; i <= MAX_PENDING; i++) {
      join.update(handshake(`r${i}`, { url: `wss://page.test/${i}`, startedAt: 10_000 + i }), 0);
    }
    const oldest = connection(1, { url: 'wss://page.test/0', createdAt: 10_000 });
    const second = connection(2, { url: 'wss://page.test/1', createdAt: 10_000 });
    const newest = connection(3, { url: `wss://page.test/${MAX_PENDING}`, createdAt: 10_000 });
    expect(join.join([oldest, second, newest], noDrop)).toBe(true);
    expect(oldest.handshake).toBeUndefined();
    expect(second.handshake?.requestId).toBe('r1');
    expect(newest.handshake?.requestId).toBe(`r${MAX_PENDING}`);
  });

  it('counts an update as new for the bound: the updated handshake stays', () => {
    const join = new HandshakeJoin();
    for (let i = 0; i < MAX_PENDING; i++) {
      join.update(handshake(`r${i}`, { url: `wss://page.test/${i}`, startedAt: 10_000 + i }), 0);
    }
    join.update(
      handshake('r0', { url: 'wss://page.test/0', startedAt: 10_000, sentAt: 10_001 }),
      0,
    );
    join.update(handshake('extra', { url: URL_B }), 0);
    const zero = connection(1, { url: 'wss://page.test/0' });
    const one = connection(2, { url: 'wss://page.test/1' });
    join.join([zero, one], noDrop);
    expect(zero.handshake?.requestId).toBe('r0');
    expect(one.handshake).toBeUndefined();
  });

  it('forgets connections that are gone: a late update of theirs joins no other connection', () => {
    const join = new HandshakeJoin();
    const kept = connection(1, { url: URL_A });
    const gone = connection(2, { url: URL_B });
    join.update(handshake('ra', { url: URL_A }), 0);
    join.update(handshake('rb', { url: URL_B }), 0);
    join.join([kept, gone], noDrop);
    expect(gone.handshake?.requestId).toBe('rb');

    join.forget((c) => c !== gone);
    const lateForGone = handshake('rb', { url: URL_B, endedAt: 10_100 });
    expect(join.update(lateForGone, 0)).toBeUndefined();
    expect(gone.handshake).not.toBe(lateForGone);
    const lateForKept = handshake('ra', { url: URL_A, endedAt: 10_100 });
    expect(join.update(lateForKept, 0)).toBe(kept);
    expect(kept.handshake).toBe(lateForKept);
    // A new socket to the same URL in the same frame, at once: not given the gone one's handshake.
    const next = connection(3, { url: URL_B });
    expect(join.join([kept, next], noDrop)).toBe(false);
    expect(next.handshake).toBeUndefined();
  });

  it("never joins a shared or service worker's handshake to a hook connection", () => {
    const join = new HandshakeJoin();
    join.update(handshake('sw', { workerOrigin: 'https://page.test' }), 0);
    expect(join.join([connection(1)], noDrop)).toBe(false);
  });

  it('does not join a socket that opened or ended before the handshake began', () => {
    const join = new HandshakeJoin();
    const opened = connection(1, { createdAt: 10_000, openedAt: 10_010, state: 'open' });
    const failed = connection(2, { createdAt: 10_000, closedAt: 10_010, state: 'failed' });
    join.update(handshake('later', { startedAt: 10_010 + HANDSHAKE_CLOCK_SKEW_MS + 1 }), 0);
    expect(join.join([opened, failed], noDrop)).toBe(false);
    const fresh = connection(3, { createdAt: 10_020 });
    expect(join.join([opened, failed, fresh], noDrop)).toBe(true);
    expect(fresh.handshake?.requestId).toBe('later');
  });
});

describe('HandshakeJoin.settle', () => {
  const made: Connection[] = [];
  const make = (h: Handshake) => {
    const c = connection(-(made.length + 1), { handshake: h, handshakeOnly: true, imported: 'x' });
    made.push(c);
    return c;
  };

  it('gives a handshake no connection claimed a connection once it has waited long enough', () => {
    made.length = 0;
    const join = new HandshakeJoin();
    const h = handshake('worker', { startedAt: 10_000 });
    join.update(h, 10_500);
    expect(join.waiting).toBe(true);
    // Waited long enough since its start, not since the panel heard of it.
    expect(join.settle(10_000 + HANDSHAKE_SETTLE_MS, undefined, make)).toBe(false);
    expect(join.settle(10_500 + HANDSHAKE_SETTLE_MS, undefined, make)).toBe(true);
    expect(made.map((c) => c.handshake)).toEqual([h]);
    expect(join.waiting).toBe(false);
    // Its updates reach the connection made for it.
    const done = { ...h, status: 101, respondedAt: 10_020 };
    expect(join.update(done, 20_000)).toBe(made[0]);
    expect(made[0]!.handshake).toBe(done);
  });

  it('drops the handshakes of an earlier page instead', () => {
    made.length = 0;
    const join = new HandshakeJoin();
    join.update(handshake('old', { startedAt: 5_000 }), 5_000);
    join.update(handshake('now', { startedAt: 9_500 }), 9_500);
    expect(join.settle(20_000, 10_000, make)).toBe(true);
    expect(made.map((c) => c.handshake?.requestId)).toEqual(['now']);
    expect(join.waiting).toBe(false);
  });

  it('lets a hook connection that turns up late take over from the stand-in', () => {
    made.length = 0;
    const join = new HandshakeJoin();
    join.update(handshake('late-hook', { startedAt: 10_005 }), 10_005);
    join.settle(20_000, undefined, make);
    const standIn = made[0]!;
    const dropped: Connection[] = [];
    const hooked = connection(1, { createdAt: 10_000 });
    expect(join.join([standIn, hooked], (c) => dropped.push(c))).toBe(true);
    expect(dropped).toEqual([standIn]);
    expect(hooked.handshake?.requestId).toBe('late-hook');
    const update = handshake('late-hook', { startedAt: 10_005, error: 'net::ERR_FAILED' });
    expect(join.update(update, 20_100)).toBe(hooked);
  });

  it('joins every late hook connection in one pass, even as stand-ins leave the list', () => {
    made.length = 0;
    const join = new HandshakeJoin();
    join.update(handshake('a', { startedAt: 10_005 }), 10_005);
    join.update(handshake('b', { url: URL_B, startedAt: 10_006 }), 10_006);
    join.settle(20_000, undefined, make);
    const list: Connection[] = [...made];
    const first = connection(1, { createdAt: 10_000 });
    const second = connection(2, { url: URL_B, createdAt: 10_001 });
    list.push(first, second);
    const drop = (c: Connection) => list.splice(list.indexOf(c), 1);
    expect(join.join(list, drop)).toBe(true);
    expect([first.handshake?.requestId, second.handshake?.requestId]).toEqual(['a', 'b']);
    expect(list).toEqual([first, second]);
  });

  it('joins a network-log connection by URL and time, whatever its frame', () => {
    const join = new HandshakeJoin();
    const fromLog = connection(1, {
      frameId: -1,
      createdAt: 10_000,
      imported: 'log',
      worker: 'https://page.test/worker.js',
    });
    join.update(handshake('far', { startedAt: 10_000 + NETWORK_LOG_MATCH_MS + 1 }), 0);
    expect(join.join([fromLog], noDrop)).toBe(false);
    join.update(handshake('near', { startedAt: 10_000 - NETWORK_LOG_MATCH_MS }), 0);
    expect(join.join([fromLog], noDrop)).toBe(true);
    expect(fromLog.handshake?.requestId).toBe('near');
  });
});
