// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { offerPortToRelay } from '../../src/capture/channel-rendezvous';
import { CHANNEL_MARK } from '../../src/protocol/capture-events';
import { awaitHookPort } from '../../src/relay/channel-rendezvous';

/** A fresh document as at document_start: an empty <html>, nothing else. */
function freshDocument(): Document {
  const doc = document.implementation.createHTMLDocument('');
  doc.removeChild(doc.documentElement);
  doc.appendChild(doc.createElement('html'));
  return doc;
}

/**
 * happy-dom's MessageEvent takes `ports` only as an array; browsers take any sequence (WebIDL
 * iterates it), which is what the hook hands them.
 */
const BaseMessageEvent: new (type: string, init?: MessageEventInit) => MessageEvent = MessageEvent;

class SequencePortsMessageEvent extends BaseMessageEvent {
  constructor(type: string, init: MessageEventInit) {
    super(type, { ...init, ports: [...(init.ports as Iterable<MessagePort>)] });
  }
}

/** The page's globals with `document` replaced, as the hook sees them in that document. */
function globalFor(doc: Document): typeof globalThis {
  return Object.assign(Object.create(globalThis), {
    document: doc,
    MessageEvent: SequencePortsMessageEvent,
  }) as typeof globalThis;
}

const microtasks = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the rendezvous of hook and relay', () => {
  it('hands the port over when the hook runs first, and leaves nothing in the document', () => {
    const doc = freshDocument();
    const { port1 } = new MessageChannel();
    offerPortToRelay(globalFor(doc), port1);
    const ports: MessagePort[] = [];
    awaitHookPort(doc, (port) => ports.push(port));
    expect(ports.length === 1 && ports[0] === port1).toBe(true);
    expect([...doc.childNodes]).toEqual([doc.documentElement]);
  });

  it('hands the port over when the relay runs first (its observer sees the mark)', async () => {
    const doc = freshDocument();
    const ports: MessagePort[] = [];
    awaitHookPort(doc, (port) => ports.push(port));
    const { port1 } = new MessageChannel();
    offerPortToRelay(globalFor(doc), port1);
    await microtasks();
    expect(ports.length === 1 && ports[0] === port1).toBe(true);
    expect([...doc.childNodes]).toEqual([doc.documentElement]);
  });

  it('takes no mark the page’s markup put before the document element', async () => {
    const doc = freshDocument();
    doc.insertBefore(doc.createComment(CHANNEL_MARK), doc.documentElement);
    const ports: MessagePort[] = [];
    awaitHookPort(doc, (port) => ports.push(port));
    await microtasks();
    expect(ports).toEqual([]);
  });

  it('accepts one port only: a second answer on the node is ignored', () => {
    const doc = freshDocument();
    const { port1 } = new MessageChannel();
    const node = offerPortToRelay(globalFor(doc), port1);
    const ports: MessagePort[] = [];
    awaitHookPort(doc, (port) => ports.push(port));
    const { port1: intruder } = new MessageChannel();
    node.dispatchEvent(new MessageEvent('hook-port', { ports: [intruder] }));
    expect(ports.length === 1 && ports[0] === port1).toBe(true);
  });
});
