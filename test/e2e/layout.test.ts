import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  clickFrameRow,
  type DevToolsSize,
  inExtensionPage,
  type OpenPanel,
  openDevToolsPanel,
  openStandalonePanel,
  revealControl,
  waitForFrameCount,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

/** A page with two sockets, one of which echoes 40 frames: more than any size shows at once. */
const PAGE = `<!doctype html><title>layout</title><script>
  window.done = new Promise((resolve) => {
    const echo = new WebSocket('ws://' + location.host + '/echo-layout');
    new WebSocket('ws://' + location.host + '/echo-quiet');
    let echoes = 0;
    echo.onmessage = () => { if (++echoes === 40) resolve(); };
    echo.onopen = () => {
      for (let i = 0; i < 40; i++) echo.send(JSON.stringify({ type: 'tick', n: i, note: 'a payload long enough to need the room' }));
    };
    // Traffic on demand: n sends a tick apart, each echoed.
    window.flow = (n) => new Promise((done) => {
      let sent = 0;
      const timer = setInterval(() => {
        for (let i = 0; i < 50 && sent < n; i++, sent++) echo.send('flow ' + sent);
        if (sent === n) { clearInterval(timer); done(); }
      }, 10);
    });
  });
</script>`;

/** The sizes DevTools really has: docked at the bottom of a wide and a small window, and right. */
const SIZES: Array<
  DevToolsSize & { name: string; sidebar: boolean; beside: boolean; where: string }
> = [
  {
    name: 'bottom 1280×300',
    width: 1280,
    height: 300,
    sidebar: true,
    beside: true,
    where: 'beside',
  },
  {
    name: 'bottom 800×450',
    width: 800,
    height: 450,
    sidebar: false,
    beside: false,
    where: 'below',
  },
  { name: 'right 500×800', width: 500, height: 800, sidebar: false, beside: false, where: 'below' },
];

/** Frame rows wholly inside the table's viewport. */
function rowsInView(frame: Frame): Promise<number> {
  return frame.$eval('[data-testid="frame-viewport"]', (viewport) => {
    const box = viewport.getBoundingClientRect();
    return [...viewport.querySelectorAll('[data-testid="frame"]')].filter((row) => {
      const rect = row.getBoundingClientRect();
      return rect.top >= box.top - 0.5 && rect.bottom <= box.bottom + 0.5;
    }).length;
  });
}

/** Where each control of the toolbar and filter bar sits, and where the frame table starts. */
function controlBoxes(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const boxes = [...document.querySelectorAll('.toolbar > *, .filter-bar > *')].map((element) => {
      const box = element.getBoundingClientRect();
      return `${element.className}@${Math.round(box.left)},${Math.round(box.top)},${Math.round(box.width)}x${Math.round(box.height)}`;
    });
    const table = document.querySelector('[data-testid="frame-viewport"]')!;
    return [...boxes, `table@${Math.round(table.getBoundingClientRect().top)}`].join(' ');
  });
}

/** Whether the controls of a bar all sit on one line (each one's box overlaps every other's). */
function onOneLine(frame: Frame, selector: string): Promise<boolean> {
  return frame.$eval(selector, (bar) => {
    const boxes = [...bar.children]
      .filter((child) => !child.hasAttribute('hidden'))
      .map((child) => child.getBoundingClientRect())
      .filter((box) => box.height > 0);
    const lowestTop = Math.max(...boxes.map((box) => box.top));
    const highestBottom = Math.min(...boxes.map((box) => box.bottom));
    return boxes.length > 0 && lowestTop < highestBottom;
  });
}

describe.each(e2eBrowsers())('the panel at real DevTools sizes in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  let page: Page;
  let panel: OpenPanel | undefined;

  /** DevTools' panel in Chromium; in Firefox the same panel as a page of that size. */
  const open = async (size: DevToolsSize): Promise<OpenPanel> => {
    if (browserName === 'chromium') return openDevToolsPanel(launched, page, size);
    const opened = await openStandalonePanel(launched, page);
    await opened.frame.page().setViewport(size);
    return opened;
  };

  beforeAll(async () => {
    server = await startTestServer({ '/': PAGE });
    launched = await launchBrowser(browserName);
    await inExtensionPage(
      launched,
      `await api.storage.local.remove(['panelLayout', 'frameColumns']);`,
    );
    page = await launched.browser.newPage();
    await page.goto(`${server.origin}/`);
    await page.evaluate(() => (window as unknown as { done: Promise<void> }).done);
  });
  afterAll(async () => {
    await panel?.close().catch(() => undefined);
    await launched?.close();
    await server?.close();
  });

  it.each(SIZES)('at $name: one toolbar row, Data visible, details $where', async (size) => {
    panel = await open(size);
    const { frame } = panel;
    await waitForFrameCount(frame, ({ total }) => total === 80);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await onOneLine(frame, '.toolbar')).toBe(true);
    expect(await onOneLine(frame, '.filter-bar')).toBe(true);
    expect(await frame.$('.connections.sidebar')).toEqual(size.sidebar ? expect.anything() : null);
    expect(await frame.$('.connections.strip')).toEqual(size.sidebar ? null : expect.anything());
    const dataWidth = () =>
      frame.$eval('[data-testid="frame"] .preview', (cell) => cell.getBoundingClientRect().width);
    expect(await dataWidth()).toBeGreaterThanOrEqual(120);
    if (size.width === 800) expect(await rowsInView(frame)).toBeGreaterThanOrEqual(8);

    await clickFrameRow(frame, '"n":3,');
    await frame.waitForSelector('[data-testid="details"]');
    expect(await frame.$(`.split.${size.beside ? 'beside' : 'below'}`)).not.toBeNull();
    expect(await dataWidth()).toBeGreaterThanOrEqual(120);
    expect(await rowsInView(frame)).toBeGreaterThanOrEqual(3);

    // Escape closes the details, and in DevTools does not also open its console drawer.
    const drawer = () =>
      panel!.frame.page().evaluate(`(async () => {
          const UI = await import('./ui/legacy/legacy.js');
          return UI.InspectorView.InspectorView.instance().drawerVisible();
        })()`);
    const drawerBefore = browserName === 'chromium' ? await drawer() : false;
    await frame.focus('[data-testid="frame-viewport"]');
    await frame.page().keyboard.press('Escape');
    await frame.waitForFunction(() => !document.querySelector('[data-testid="details"]'));
    if (browserName === 'chromium') expect(await drawer()).toBe(drawerBefore);
    await panel.close();
    panel = undefined;
  });

  it('remembers a dragged splitter and a hidden column when the panel opens again', async () => {
    const size = SIZES[1]!;
    panel = await open(size);
    let { frame } = panel;
    await waitForFrameCount(frame, ({ total }) => total === 80);
    await clickFrameRow(frame, '"n":5,');
    const splitter = (await frame.waitForSelector('[data-testid="details-splitter"]'))!;
    const detailsHeight = () =>
      frame.$eval('.details-region', (region) => Math.round(region.getBoundingClientRect().height));
    const before = await detailsHeight();
    const box = (await splitter.boundingBox())!;
    const mouse = frame.page().mouse;
    await mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await mouse.down();
    await mouse.move(box.x + box.width / 2, box.y + 60, { steps: 5 });
    await mouse.up();
    const dragged = await detailsHeight();
    expect(dragged).toBeLessThan(before - 40);

    const typeHeader = (await frame.$('[data-testid="column-header"][data-column="type"]'))!;
    const headerBox = (await typeHeader.boundingBox())!;
    await mouse.click(headerBox.x + 5, headerBox.y + 5, { button: 'right' });
    await frame.click('[data-testid="column-toggle"][data-column="type"]');
    await frame.waitForFunction(
      () => !document.querySelector('[data-testid="column-header"][data-column="type"]'),
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    await panel.close();

    panel = await open(size);
    frame = panel.frame;
    await waitForFrameCount(frame, ({ total }) => total === 80);
    await clickFrameRow(frame, '"n":5,');
    await frame.waitForSelector('.details-region');
    expect(Math.abs((await detailsHeight()) - dragged)).toBeLessThanOrEqual(2);
    expect(await frame.$('[data-testid="column-header"][data-column="type"]')).toBeNull();
    expect(await frame.$('[data-testid="column-header"][data-column="size"]')).not.toBeNull();
  });

  it('remembers the folded connections sidebar when the panel opens again', async () => {
    await panel?.close();
    const size = SIZES[0]!;
    panel = await open(size);
    let { frame } = panel;
    await frame.waitForSelector('.connections.sidebar');
    await revealControl(frame, 'toggle-sidebar');
    await frame.click('[data-testid="toggle-sidebar"]');
    await frame.waitForSelector('.connections.strip');
    await new Promise((resolve) => setTimeout(resolve, 600));
    await panel.close();

    panel = await open(size);
    frame = panel.frame;
    await frame.waitForSelector('[data-testid="toggle-sidebar"]');
    expect(await frame.$('.connections.strip')).not.toBeNull();
    expect(await frame.$('.connections.sidebar')).toBeNull();
    await revealControl(frame, 'toggle-sidebar');
    await frame.click('[data-testid="toggle-sidebar"]');
    await frame.waitForSelector('.connections.sidebar');
    await new Promise((resolve) => setTimeout(resolve, 600));
    await panel.close();
    panel = undefined;
  });

  it('sorts by size and resizes a column by dragging, and keeps both when the panel opens again', async () => {
    await panel?.close();
    const size = SIZES[0]!;
    panel = await open(size);
    let { frame } = panel;
    await waitForFrameCount(frame, ({ total }) => total >= 80);
    const sizes = () =>
      frame.$$eval('[data-testid="frame"] .size', (cells) =>
        cells.map((cell) => Number.parseFloat(cell.textContent ?? '')),
      );
    const sortOf = () =>
      frame.$eval('[data-testid="column-header"][data-column="size"]', (header) =>
        header.getAttribute('aria-sort'),
      );
    const timeWidth = () =>
      frame.$eval('[data-testid="column-header"][data-column="time"]', (header) =>
        Math.round(header.getBoundingClientRect().width),
      );
    await frame.click('[data-testid="column-header"][data-column="size"]');
    await frame.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="column-header"][data-column="size"]')
          ?.getAttribute('aria-sort') === 'ascending',
    );
    const shown = await sizes();
    expect(shown.length).toBeGreaterThan(3);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));

    const before = await timeWidth();
    const resizer = (await frame.$('[data-testid="column-resizer"][data-column="time"]'))!;
    const box = (await resizer.boundingBox())!;
    const mouse = frame.page().mouse;
    await mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await mouse.down();
    await mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 6 });
    await mouse.up();
    const resized = await timeWidth();
    expect(resized).toBeGreaterThanOrEqual(before + 50);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await panel.close();

    panel = await open(size);
    frame = panel.frame;
    await waitForFrameCount(frame, ({ total }) => total >= 80);
    expect(await sortOf()).toBe('ascending');
    expect(Math.abs((await timeWidth()) - resized)).toBeLessThanOrEqual(2);
    // Back to the log's order and widths, for the tests after this one.
    await inExtensionPage(launched, `await api.storage.local.remove('frameColumns');`);
    await panel.close();
    panel = undefined;
  });

  // Last: it adds thousands of frames to the page's sockets.
  it.each([
    SIZES[1]!,
    SIZES[2]!,
  ])('at $name, moves nothing above the frames while traffic flows', async (size) => {
    panel = await open(size);
    const { frame } = panel;
    const { total } = await waitForFrameCount(frame, ({ total }) => total >= 80);
    const before = await controlBoxes(frame);
    const flowing = page.evaluate(() =>
      (window as unknown as { flow(n: number): Promise<void> }).flow(12_000),
    );
    const seen = new Set<string>();
    let done = false;
    void flowing.then(() => {
      done = true;
    });
    while (!done) {
      seen.add(await controlBoxes(frame));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    // The counts went from two or three digits to five.
    await waitForFrameCount(frame, (count) => count.total >= total + 24_000, 60_000);
    seen.add(await controlBoxes(frame));
    expect([...seen]).toEqual([before]);
    await panel.close();
    panel = undefined;
  });
});
