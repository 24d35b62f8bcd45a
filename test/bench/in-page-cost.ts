/**
 * What the hook costs the page per operation, timed inside the page with the network out of the
 * timed section, in rounds that alternate between the browser without the extension (A) and the
 * one with it (B): `new WebSocket()` + `close()`, `send()` of 64 bytes, and the dispatch of a
 * received message to a page listener. A native operation's cost drifts by a factor of several
 * within a minute on a busy machine; rounds side by side in time see the same drift, so each
 * round's B/A is compared with its neighbour, not with a run minutes away.
 */
import type { Page } from 'puppeteer-core';
import { type Ratio, ratioOf } from './ratio';

export interface InPageOptions {
  /** Sockets per construction round (the server sees at most this many aborted attempts). */
  sockets: number;
  /** Sends and received messages per round. */
  frames: number;
  /** Rounds per browser and operation. */
  rounds: number;
}

export interface InPageCost {
  /** Per round, µs per operation, in the order run. */
  withoutUs: number[];
  withUs: number[];
  /** B/A of neighbouring rounds. */
  ratio: Ratio;
  /** (B − A) of neighbouring rounds, in ns per operation. */
  addedNs: Ratio;
}

export interface InPageCosts {
  construction: InPageCost;
  send: InPageCost;
  dispatch: InPageCost;
  /**
   * The initiator's part of construction: with the extension both sides, the hook taking the
   * page's stack (B) against the hook taking none (A: the page defines
   * `Error.prepareStackTrace`, where the hook never takes one; stack-capture.ts).
   */
  stack: InPageCost;
  /**
   * What the calls the hook cannot leave out cost a page that makes them itself, without the
   * extension: one capture of the stack before each `new WebSocket()` and four capturing
   * listeners (open, message, error, close) after it (B), against the bare `new WebSocket()` +
   * `close()` (A). Right after the browser's own constructor these calls cost several times what
   * they cost in a tight loop of their own; the hook's cost is read against this floor.
   */
  floor: InPageCost;
}

/** Lets the page's earlier sockets fail and close (their events) before a round is timed. */
const PAUSE_MS = 250;

type Round = (page: Page) => Promise<number>;

/**
 * µs per `new WebSocket()` + `close()`: the handshake starts after the loop, untimed. With
 * `withoutStack`, the page defines `Error.prepareStackTrace` for the loop (and removes it after),
 * which keeps the hook from taking the page's stack.
 */
const construction =
  (wsOrigin: string, sockets: number, withoutStack = false): Round =>
  (page) =>
    page.evaluate(
      async (wsOrigin: string, sockets: number, pauseMs: number, withoutStack: boolean) => {
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
        const errors = Error as { prepareStackTrace?: unknown };
        if (withoutStack) errors.prepareStackTrace = undefined;
        const start = performance.now();
        for (let i = 0; i < sockets; i++) new WebSocket(`${wsOrigin}/sink-construct`).close();
        const us = ((performance.now() - start) * 1000) / sockets;
        if (withoutStack) delete errors.prepareStackTrace;
        return us;
      },
      wsOrigin,
      sockets,
      PAUSE_MS,
      withoutStack,
    );

/** As {@link construction} without the extension, the page making the hook's unavoidable calls. */
const constructionWithHookCalls =
  (wsOrigin: string, sockets: number): Round =>
  (page) =>
    page.evaluate(
      async (wsOrigin: string, sockets: number, pauseMs: number) => {
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
        const listener = [() => undefined][0]!;
        const capture = (Error as { captureStackTrace?: (holder: object) => void })
          .captureStackTrace;
        const start = performance.now();
        for (let i = 0; i < sockets; i++) {
          // As the hook takes it, before the constructor: V8's captureStackTrace, else a new
          // Error's, formatted either way.
          if (capture) {
            const holder = Object.create(null) as { stack?: string };
            capture(holder);
            void holder.stack;
          } else void new Error().stack;
          const socket = new WebSocket(`${wsOrigin}/sink-construct`);
          socket.addEventListener('open', listener, true);
          socket.addEventListener('message', listener, true);
          socket.addEventListener('error', listener, true);
          socket.addEventListener('close', listener, true);
          socket.close();
        }
        return ((performance.now() - start) * 1000) / sockets;
      },
      wsOrigin,
      sockets,
      PAUSE_MS,
    );

/** µs per `send()` of 64 bytes on an open socket (the bytes leave after the loop). */
const send =
  (wsOrigin: string, frames: number): Round =>
  (page) =>
    page.evaluate(
      async (wsOrigin: string, frames: number) => {
        const ws = new WebSocket(`${wsOrigin}/sink-send`);
        await new Promise((resolve, reject) => {
          ws.onopen = resolve;
          ws.onerror = reject;
        });
        const payload = 'x'.repeat(64);
        const start = performance.now();
        for (let i = 0; i < frames; i++) ws.send(payload);
        const us = ((performance.now() - start) * 1000) / frames;
        ws.close();
        return us;
      },
      wsOrigin,
      frames,
    );

/**
 * µs per received message spent between the page's first listener and its last: a capturing
 * listener runs first at the socket, then the listeners in the order added, the hook's (added in
 * the constructor) before the page's own. Summed over every message of a burst, so the network's
 * pace is outside the timed sections (and the two listeners' own cost is in both A and B).
 */
const dispatch =
  (wsOrigin: string, frames: number): Round =>
  (page) =>
    page.evaluate(
      async (wsOrigin: string, frames: number) => {
        const ws = new WebSocket(`${wsOrigin}/echo-dispatch`);
        let seen = 0;
        let entered = 0;
        let spent = 0;
        ws.addEventListener(
          'message',
          () => {
            entered = performance.now();
          },
          { capture: true },
        );
        const done = new Promise<void>((resolve) => {
          ws.addEventListener('message', () => {
            spent += performance.now() - entered;
            if (++seen === frames) resolve();
          });
        });
        await new Promise((resolve, reject) => {
          ws.onopen = resolve;
          ws.onerror = reject;
        });
        ws.send(`burst:${frames}:64`);
        await done;
        ws.close();
        return (spent * 1000) / frames;
      },
      wsOrigin,
      frames,
    );

function alternate(without: Page, withExtension: Page, rounds: number, round: Round) {
  return alternateRounds(
    rounds,
    () => round(without),
    () => round(withExtension),
  );
}

/** Rounds of A (`without`) and B (`withIt`), A B, B A, ...: neither side is always first. */
async function alternateRounds(
  rounds: number,
  without: () => Promise<number>,
  withIt: () => Promise<number>,
): Promise<InPageCost> {
  const withoutUs: number[] = [];
  const withUs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const second of i % 2 === 0 ? [false, true] : [true, false]) {
      (second ? withUs : withoutUs).push(await (second ? withIt : without)());
    }
  }
  const ratios = withUs.map((b, i) => b / Math.max(withoutUs[i]!, 0.001));
  const added = withUs.map((b, i) => (b - withoutUs[i]!) * 1000);
  return { withoutUs, withUs, ratio: ratioOf(ratios), addedNs: ratioOf(added) };
}

export async function measureInPage(
  without: Page,
  withExtension: Page,
  wsOrigin: string,
  { sockets, frames, rounds }: InPageOptions,
): Promise<InPageCosts> {
  return {
    construction: await alternate(without, withExtension, rounds, construction(wsOrigin, sockets)),
    send: await alternate(without, withExtension, rounds, send(wsOrigin, frames)),
    dispatch: await alternate(without, withExtension, rounds, dispatch(wsOrigin, frames)),
    stack: await alternateRounds(
      rounds,
      () => construction(wsOrigin, sockets, true)(withExtension),
      () => construction(wsOrigin, sockets)(withExtension),
    ),
    floor: await alternateRounds(
      rounds,
      () => construction(wsOrigin, sockets)(without),
      () => constructionWithHookCalls(wsOrigin, sockets)(without),
    ),
  };
}
