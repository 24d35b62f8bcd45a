import type { CaptureEvent, PagePayload } from '../../src/protocol/capture-events';
import {
  FRAME_ORIGINS,
  flagsOrigin,
  flagsReadyState,
  frameFlags,
  RECORD_EVENT,
  RECORD_RECEIVED,
  RECORD_SENT,
  RECORD_SKIPPED,
  RECORD_SLOTS,
} from '../../src/protocol/event-records';
import { packRecords } from '../../src/protocol/packed-records';
import type { EventsMessage, PayloadPieceMessage } from '../../src/protocol/port-messages';
import type { SequencedEvent, WireEvent } from '../../src/protocol/relay-events';
import { toRecordPayload } from '../../src/relay/wire-records';
import { decodeRecords } from '../../src/session/decode-records';
import type { SessionStore } from '../../src/session/session-store';

/** The hook's flat records, read back as protocol events (what a test expects the page saw). */
export function hookEvents(records: unknown[]): CaptureEvent[] {
  const events: CaptureEvent[] = [];
  for (let at = 0; at < records.length; at += RECORD_SLOTS) {
    const [kind, id, time, value, flags, bufferedAmount] = records.slice(at, at + RECORD_SLOTS) as [
      number,
      number,
      number,
      unknown,
      number,
      number,
    ];
    if (kind === RECORD_EVENT) {
      events.push(value as CaptureEvent);
      continue;
    }
    const payload: PagePayload =
      typeof value === 'string' ? { kind: 'text', text: value } : (value as PagePayload);
    const origin = flagsOrigin(flags)!;
    events.push(
      kind === RECORD_RECEIVED
        ? { type: 'received', id, time, payload, origin }
        : {
            type: 'sent',
            id,
            time,
            payload,
            readyState: flagsReadyState(flags),
            bufferedAmount,
            origin,
          },
    );
  }
  return events;
}

/**
 * Wire events as flat records from `firstSeq` (frames as frame records); places in the sequence
 * no event takes, up to `endSeq`, hold RECORD_SKIPPED (what the relay refused).
 */
export function eventRecords(
  events: SequencedEvent[],
  firstSeq = events[0]?.seq ?? 0,
  endSeq = firstSeq,
): unknown[] {
  const records: unknown[] = [];
  let seq = firstSeq;
  const skipTo = (next: number) => {
    for (; seq < next; seq++) records.push(RECORD_SKIPPED, 0, 0, 0, 0, 0);
  };
  for (const { seq: eventSeq, event } of events) {
    if (eventSeq < seq) throw new RangeError(`event ${eventSeq} is out of order`);
    skipTo(eventSeq);
    seq++;
    if (event.type === 'sent' || event.type === 'received') {
      const flags = frameFlags(
        event.type === 'sent' ? event.readyState : 0,
        FRAME_ORIGINS.indexOf(event.origin),
      );
      records.push(
        event.type === 'sent' ? RECORD_SENT : RECORD_RECEIVED,
        event.id,
        event.time,
        toRecordPayload(event.payload),
        flags,
        event.type === 'sent' ? event.bufferedAmount : 0,
      );
    } else records.push(RECORD_EVENT, 0, 0, event, 0, 0);
  }
  skipTo(endSeq);
  return records;
}

/** Wire events as a relay's events message carries them on ports that clone (records packed). */
export function eventsMessage(
  documentId: string,
  events: SequencedEvent[],
  lost = 0,
  rejected = 0,
): EventsMessage {
  const firstSeq = events[0]?.seq ?? 0;
  return {
    type: 'events',
    documentId,
    firstSeq,
    records: packRecords(eventRecords(events, firstSeq)),
    lost,
    rejected,
  };
}

/** {@link eventsMessage} with its flat records changed by `edit` before they are packed. */
export function editedEventsMessage(
  documentId: string,
  events: SequencedEvent[],
  edit: (records: unknown[]) => void,
): EventsMessage {
  const firstSeq = events[0]?.seq ?? 0;
  const records = eventRecords(events, firstSeq);
  edit(records);
  return { ...eventsMessage(documentId, events), records: packRecords(records) };
}

/**
 * Applies wire events to a session store the one way it takes them, as an events message's
 * records. `span`, when given, is the stretch of the sequence the batch covers, including events
 * the relay refused (they take a number but are not in `events`); without it the batch starts at
 * its first event, or at the store's cursor when it has none.
 */
export function applyEvents(
  store: SessionStore,
  documentId: string,
  events: SequencedEvent[],
  lost = 0,
  rejected = 0,
  span?: { firstSeq: number; endSeq: number },
): void {
  const firstSeq = span?.firstSeq ?? events[0]?.seq ?? store.cursorOf(documentId);
  const records = eventRecords(events, firstSeq, span?.endSeq);
  store.applyRecords(documentId, firstSeq, records, [], lost, rejected);
}

/** The events a relay's message carries, decoded as the panel does. */
export function messageEvents(
  message: Pick<EventsMessage, 'firstSeq' | 'records'>,
): SequencedEvent[] {
  return decodeRecords(message.firstSeq, message.records).events;
}

/**
 * The events a run of messages from a relay carries, decoded as the panel does: payload pieces
 * go with the events message after them.
 */
export function relayedEvents(messages: Array<{ type: string }>): SequencedEvent[] {
  const events: SequencedEvent[] = [];
  let pieces: string[] = [];
  for (const message of messages) {
    if (message.type === 'payload-piece') pieces.push((message as PayloadPieceMessage).data);
    if (message.type !== 'events') continue;
    const { firstSeq, records } = message as EventsMessage;
    events.push(...decodeRecords(firstSeq, records, pieces).events);
    pieces = [];
  }
  return events;
}

export type { WireEvent };
