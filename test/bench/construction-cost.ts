/**
 * What a socket costs the page: `new WebSocket()` + `close()`, timed in the page, in rounds that
 * alternate between the browser without the extension (A) and the one with it (B). A socket's
 * native cost is mostly the browser's own inter-process work, which drifts by a factor of several
 * within a minute on a busy machine; rounds side by side in time see the same drift, so each
 * round's B/A is compared with its neighbour, not with a run minutes away.
 */
import type { Page } from 'puppeteer-core';
import { type Ratio, ratioOf } from './ratio';

export interface ConstructionOptions {
  /** Sockets per round (the server sees at most this many aborted attempts per round). */
  sockets: number;
  /** Rounds per browser. */
  rounds: number;
}

export interface ConstructionResult {
  /** Per round, µs per socket, in the order run. */
  withoutUs: number[];
  withUs: number[];
  /** B/A of neighbouring rounds. */
  ratio: Ratio;
  /** Median over round pairs of (B − A), in ns per socket. */
  hookNsPerSocket: number;
}

/** Lets the page's earlier sockets fail and close (their events) before a round is timed. */
const PAUSE_MS = 250;

function timeRound(page: Page, wsOrigin: string, sockets: number, pauseMs: number) {
  return page.evaluate(
    async (wsOrigin: string, sockets: number, pauseMs: number) => {
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      const start = performance.now();
      // The handshake starts after the loop: only the constructor and close() are timed.
      for (let i = 0; i < sockets; i++) new WebSocket(`${wsOrigin}/sink-construct`).close();
      return ((performance.now() - start) * 1000) / sockets;
    },
    wsOrigin,
    sockets,
    pauseMs,
  );
}

export async function measureConstruction(
  without: Page,
  withExtension: Page,
  wsOrigin: string,
  { sockets, rounds }: ConstructionOptions,
): Promise<ConstructionResult> {
  const withoutUs: number[] = [];
  const withUs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // A B, B A, ...: neither side is always first after the pause.
    const order = round % 2 === 0 ? [false, true] : [true, false];
    for (const withIt of order) {
      const perSocket = await timeRound(
        withIt ? withExtension : without,
        wsOrigin,
        sockets,
        PAUSE_MS,
      );
      (withIt ? withUs : withoutUs).push(perSocket);
    }
  }
  const ratios = withUs.map((b, i) => b / Math.max(withoutUs[i]!, 0.001));
  const added = withUs.map((b, i) => (b - withoutUs[i]!) * 1000);
  return { withoutUs, withUs, ratio: ratioOf(ratios), hookNsPerSocket: ratioOf(added).median };
}
