// @vitest-environment happy-dom
import type { ComponentChild } from 'preact';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Highlighted } from '../../src/panel/Highlighted';
import { JsonTree } from '../../src/panel/JsonTree';
import { PayloadText } from '../../src/panel/PayloadText';
import { EMPTY_FILTER, type FilterSpec } from '../../src/session/frame-filter';
import { compileHighlighter } from '../../src/session/match-ranges';

let root: HTMLElement;
const $$ = (selector: string) => [...root.querySelectorAll(selector)] as HTMLElement[];
const marks = () => $$('[data-testid="match"]').map((mark) => mark.textContent);
const highlighter = (spec: Partial<FilterSpec>) => compileHighlighter({ ...EMPTY_FILTER, ...spec });

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

async function show(node: ComponentChild) {
  await act(() => render(node, root));
}

describe('Highlighted', () => {
  it('marks each match in place, with no element of its own', async () => {
    const text = 'Hello, hello world';
    await show(
      <span id="host">
        <Highlighted text={text} highlight={highlighter({ query: 'hello' })} />
      </span>,
    );
    const host = root.querySelector('#host')!;
    expect(marks()).toEqual(['Hello', 'hello']);
    expect(host.textContent).toBe(text);
    expect([...host.childNodes].map((node) => node.nodeName)).toEqual([
      'MARK',
      '#text',
      'MARK',
      '#text',
    ]);
    expect(host.querySelector('mark')!.className).toBe('match');
  });

  it('is plain text without a highlighter or a match', async () => {
    await show(
      <span id="host">
        <Highlighted text="abc" highlight={null} />
        <Highlighted text="def" highlight={undefined} />
        <Highlighted text="ghi" highlight={highlighter({ query: 'zzz' })} />
      </span>,
    );
    expect(marks()).toEqual([]);
    expect(root.querySelector('#host')!.textContent).toBe('abcdefghi');
  });
});

describe('PayloadText', () => {
  it('marks matches in a whole text, and none without a highlighter', async () => {
    const text = '{"type":"price","value":42}\n{"type":"PRICE"}';
    await show(<PayloadText text={text} testId="t" />);
    expect(marks()).toEqual([]);
    await show(<PayloadText text={text} testId="t" highlight={highlighter({ query: 'price' })} />);
    expect(marks()).toEqual(['price', 'PRICE']);
    expect(root.querySelector('[data-testid="t"]')!.textContent).toBe(text);
  });

  it('marks matches line by line in a windowed text', async () => {
    // Windowed lines are cut every 160 characters: "needle" at 157 crosses the first cut.
    const first = `${'x'.repeat(10)}needle${'x'.repeat(141)}needle${'x'.repeat(40)}`;
    const text = `${first}\nno match here\nneedle at the start${'y'.repeat(300 * 1024)}`;
    await show(<PayloadText text={text} testId="t" />);
    expect($$('.virtual-line').length).toBeGreaterThan(3);
    expect(marks()).toEqual([]);
    await show(<PayloadText text={text} testId="t" highlight={highlighter({ query: 'NEEDLE' })} />);
    const lines = $$('.virtual-line');
    const marksIn = (line: HTMLElement) =>
      [...line.querySelectorAll('[data-testid="match"]')].map((mark) => mark.textContent);
    expect(marksIn(lines[0]!)).toEqual(['needle']);
    expect(marksIn(lines[1]!)).toEqual([]);
    expect(marksIn(lines[2]!)).toEqual([]);
    expect(marksIn(lines[3]!)).toEqual(['needle']);
    expect(lines.slice(0, 2).map((line) => line.textContent)).toEqual([
      first.slice(0, 160),
      first.slice(160),
    ]);
  });
});

describe('JsonTree', () => {
  const value = { price: 42, name: 'price list', items: ['cheap price', true], pricey: null };

  it('marks matches in keys and string and number values', async () => {
    await show(
      <JsonTree
        value={value}
        onCopy={() => undefined}
        highlight={highlighter({ query: 'pric' })}
      />,
    );
    expect(marks()).toEqual(['pric', 'pric', 'pric', 'pric']);
    const keyMarks = $$('.json-key [data-testid="match"]');
    expect(keyMarks).toHaveLength(2);
    expect(root.querySelector('[data-path="$.price"] .json-key')!.textContent).toBe('"price": ');
    await show(
      <JsonTree value={value} onCopy={() => undefined} highlight={highlighter({ query: '42' })} />,
    );
    expect($$('.json-number [data-testid="match"]').map((mark) => mark.textContent)).toEqual([
      '42',
    ]);
    // Array indexes are not in the payload's text, so they are not searched.
    await show(
      <JsonTree
        value={['a', 'b']}
        onCopy={() => undefined}
        highlight={highlighter({ query: '1', regex: true })}
      />,
    );
    expect(marks()).toEqual([]);
  });

  it('marks nothing without a highlighter', async () => {
    await show(<JsonTree value={value} onCopy={() => undefined} />);
    expect(marks()).toEqual([]);
    expect(root.querySelector('[data-path="$.name"]')!.textContent).toContain(
      '"name": "price list"',
    );
  });
});
