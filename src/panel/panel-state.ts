import { signal } from '@preact/signals';
import { detectDecoder } from '../decoders/detect';
import { protobufTypedDecoder } from '../decoders/protobuf-typed';
import { ALL_DECODERS } from '../decoders/registry';
import { DEFAULT_LIMITS, type Limits, limitsFromStorage } from '../protocol/limits';
import type { CommandResult, InterceptRule, PageCommand } from '../protocol/page-commands';
import type { PayloadEncoding } from '../session/command-input';
import { labelOf } from '../session/connection-labels';
import {
  type DecodeAsChoices,
  decodeAsFromStorage,
  decodeAsPattern,
  withDecodeAs,
} from '../session/decode-as';
import { FilteredFrames } from '../session/filtered-frames';
import { compileFilter, EMPTY_FILTER, type FilterSpec } from '../session/frame-filter';
import { hidePatternsFromStorage } from '../session/hide-patterns';
import {
  type LoadedSchema,
  mappingsFromStorage,
  type ProtoMappings,
  schemaFromStorage,
  withMapping,
} from '../session/proto-schemas';
import { ProtocolDecoding } from '../session/protocol-decoding';
import { SearchAhead } from '../session/search-ahead';
import type { Connection, Frame } from '../session/session-model';
import { SessionStore } from '../session/session-store';
import type { ConversationReplay } from './conversation-replayer';
import { type ColumnLayout, DEFAULT_COLUMN_LAYOUT, parseColumnLayout } from './frame-columns';
import { DEFAULT_LAYOUT, type LayoutPrefs, layoutFromStorage } from './layout/panel-layout';
import { createRenderThrottle } from './render-throttle';

/** Where the panel keeps its settings: extension storage in the browser, a fake in tests. */
export interface SettingsStorage {
  load(): Promise<unknown>;
  save(limits: Limits): Promise<void>;
  /** The saved "hide frames matching" patterns (hide-patterns.ts), as stored. */
  loadHidePatterns?(): Promise<unknown>;
  saveHidePatterns?(patterns: string[]): Promise<void>;
  /** The panel's region sizes and folded sidebar (layout/panel-layout.ts), as stored. */
  loadLayout?(): Promise<unknown>;
  saveLayout?(layout: LayoutPrefs): Promise<void>;
  /** The frame table's column widths, hidden columns and sort (frame-columns.ts), as stored. */
  loadColumns?(): Promise<unknown>;
  saveColumns?(columns: ColumnLayout): Promise<void>;
  /** The "Decode as" choices per URL pattern (decode-as.ts), as stored. */
  loadDecodeAs?(): Promise<unknown>;
  saveDecodeAs?(choices: DecodeAsChoices): Promise<void>;
  /** The protobuf schema and the message type per URL pattern and direction (proto-schemas.ts). */
  loadProto?(): Promise<{ schema: unknown; mappings: unknown }>;
  saveProto?(proto: { schema: unknown; mappings: ProtoMappings }): Promise<void>;
}

/** What the details region shows: the selected frame, or the selected connection and its actions. */
export type DetailsView = 'frame' | 'connection';

export type TimeMode = 'absolute' | 'relative';

/** Runs a command in one document of the inspected tab (the panel's connection to it). */
export type CommandRunner = (documentId: string, command: PageCommand) => Promise<CommandResult>;

/** What the composer holds: filled by the user, or by "Edit & resend" from a recorded frame. */
export interface ComposerDraft {
  text: string;
  encoding: PayloadEncoding;
  origin: 'composed' | 'edited';
}

export interface InterceptSettings {
  outgoing: boolean;
  incoming: boolean;
  query: string;
  regex: boolean;
  /**
   * Only the selected connection's frames (the default: holding every socket's frames would stall
   * heartbeats and telemetry of every other connection); all connections is an explicit choice.
   */
  selectedOnly: boolean;
}

const FILTER_DEBOUNCE_MS = 120;
/** A filter's scan over many frames re-renders its progress at most this often. */
const PROGRESS_INTERVAL_MS = 250;

/** More new rows than this between two renders: rows stream past faster than they are read. */
export const SCREENFUL_ROWS = 100;

/**
 * The panel's store: the session model, the filtered view of it, selection and settings, with
 * signals that views subscribe to. Incoming batches mark the store dirty; views re-render at
 * most once per live-render interval (render-throttle.ts) however many batches arrive.
 */
export class PanelState {
  readonly session = new SessionStore();
  readonly filtered = new FilteredFrames();
  readonly revision = signal(0);
  readonly filter = signal<FilterSpec>(EMPTY_FILTER);
  readonly filterError = signal<string | null>(null);
  readonly selectedFrame = signal<Frame | null>(null);
  readonly detailsOpen = signal(false);
  readonly detailsView = signal<DetailsView>('frame');
  /** The held frame selected in the frame table (its key), shown with its actions in details. */
  readonly selectedHeld = signal<string | null>(null);
  readonly layout = signal<LayoutPrefs>(DEFAULT_LAYOUT);
  readonly columns = signal<ColumnLayout>(DEFAULT_COLUMN_LAYOUT);
  readonly decodeAs = signal<DecodeAsChoices>(decodeAsFromStorage(null));
  readonly protoSchema = signal<LoadedSchema | null>(null);
  readonly protoMappings = signal<ProtoMappings>(mappingsFromStorage(null));
  /** Binary frames' searched hex, built in idle time (search-ahead.ts). */
  private readonly searchAhead = new SearchAhead();

  /** Protocol decoding of the session's frames, in the panel only (protocol-decoding.ts). */
  readonly decoding = new ProtocolDecoding({
    definitions: ALL_DECODERS,
    detect: detectDecoder,
    chosenFor: (connection) =>
      this.decodeAs.value[decodeAsPattern(connection.url)] ?? connection.decoder,
    definitionFor: (id, connection) => {
      const loaded = this.protoSchema.value;
      if (id !== 'protobuf-schema' || !loaded) return undefined;
      const mapping = this.protoMappings.value[decodeAsPattern(connection.url)] ?? {};
      return protobufTypedDecoder(loaded.schema, mapping);
    },
  });
  readonly timeMode = signal<TimeMode>('absolute');
  readonly paused = signal(false);
  readonly preserveLog = signal(false);
  readonly limits = signal<Limits>(DEFAULT_LIMITS);
  readonly settingsOpen = signal(false);
  /** The Rules dialog (rules/RulesDialog.tsx). */
  readonly rulesOpen = signal(false);
  /** A message for the user about something that failed (copy, save, settings). */
  readonly notice = signal<string | null>(null);
  readonly composer = signal<ComposerDraft>({ text: '', encoding: 'text', origin: 'composed' });
  /** The conversation replay running or last run (conversation-replayer.ts); null once closed. */
  readonly conversationReplay = signal<ConversationReplay | null>(null);
  readonly intercept = signal<InterceptSettings>({
    outgoing: false,
    incoming: false,
    query: '',
    regex: false,
    selectedOnly: true,
  });
  /** Set by the host once connected; commands fail with a message until then. */
  /** Whether DevTools' network log is read for sockets the hook cannot see (workers: Chrome). */
  networkLogWatched = false;
  /**
   * Opens a script at a 1-based line and column in DevTools' Sources, where the browser offers
   * it (Chrome's devtools.panels.openResource); unset elsewhere (Firefox, the pop-out window).
   */
  openSource?: (url: string, lineNumber: number, columnNumber: number) => void;
  runCommand: CommandRunner = async (_, command) => ({
    commandId: 0,
    ok: false,
    error: `Cannot ${command.kind}: not connected.`,
  });
  private epoch = 0;
  /** Rows the last render showed, and whether it brought more new ones than a screen holds. */
  private rowsAtLastRender = 0;
  private streaming = false;
  private filterTimer: ReturnType<typeof setTimeout> | undefined;
  private layoutTimer: ReturnType<typeof setTimeout> | undefined;
  private columnsTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly storage?: SettingsStorage,
    private readonly scheduleRender: (
      render: () => void,
      streaming: boolean,
    ) => void = createRenderThrottle(),
  ) {}

  async loadSettings(): Promise<void> {
    if (!this.storage) return;
    try {
      this.applyLimits(limitsFromStorage(await this.storage.load()));
      const hide = hidePatternsFromStorage(await this.storage.loadHidePatterns?.());
      if (hide.length > 0) this.setFilter({ hide }, true);
      if (this.storage.loadLayout) {
        this.layout.value = layoutFromStorage(await this.storage.loadLayout());
      }
      if (this.storage.loadColumns) {
        this.columns.value = parseColumnLayout(await this.storage.loadColumns());
      }
      if (this.storage.loadProto) {
        const proto = await this.storage.loadProto();
        const loaded = proto.schema == null ? null : schemaFromStorage(proto.schema);
        if (loaded && 'error' in loaded)
          this.notice.value = `The saved protobuf schema: ${loaded.error}`;
        else this.protoSchema.value = loaded;
        this.protoMappings.value = mappingsFromStorage(proto.mappings);
      }
      if (this.storage.loadDecodeAs) {
        this.decodeAs.value = decodeAsFromStorage(await this.storage.loadDecodeAs());
        // Rows rendered before the saved choice was read show it now (the refilter renders).
        this.redecode();
        void this.refilterNow();
      }
    } catch (error) {
      this.notice.value = `Could not read settings: ${(error as Error).message}`;
    }
  }

  /** Sets the "hide frames matching" patterns for this panel and every later one. */
  async setHidePatterns(patterns: string[]): Promise<void> {
    this.setFilter({ hide: patterns }, true);
    try {
      await this.storage?.saveHidePatterns?.(patterns);
    } catch (error) {
      this.notice.value = `Could not save the hide patterns: ${(error as Error).message}`;
    }
  }

  /**
   * Changes the layout at once; saves it when `done` (the end of a drag), shortly after the last
   * change otherwise, so a drag writes storage once.
   */
  setLayout(change: Partial<LayoutPrefs>, done = false): void {
    this.layout.value = { ...this.layout.value, ...change };
    clearTimeout(this.layoutTimer);
    const save = () => {
      this.storage?.saveLayout?.(this.layout.value).catch((error: Error) => {
        this.notice.value = `Could not save the layout: ${error.message}`;
      });
    };
    if (done) save();
    else this.layoutTimer = setTimeout(save, 400);
  }

  /** Changes the frame table's columns; saved shortly after the last change (a drag's end). */
  setColumns(columns: ColumnLayout): void {
    this.columns.value = columns;
    clearTimeout(this.columnsTimer);
    this.columnsTimer = setTimeout(() => {
      this.storage?.saveColumns?.(this.columns.value).catch((error: Error) => {
        this.notice.value = `Could not save the columns: ${error.message}`;
      });
    }, 300);
  }

  /**
   * Reads a connection (and every later one with the same URL pattern) with another decoder:
   * an id, 'none' for raw frames, or 'auto' to detect again.
   */
  setDecodeAs(connection: Connection, id: string): void {
    this.decodeAs.value = withDecodeAs(this.decodeAs.value, connection.url, id);
    this.redecode();
    void this.refilterNow();
    this.storage?.saveDecodeAs?.(this.decodeAs.value).catch((error: Error) => {
      this.notice.value = `Could not save the decoder choice: ${error.message}`;
    });
  }

  /** Uses a protobuf schema (null forgets it) for every connection decoded with it; saves it. */
  setProtoSchema(loaded: LoadedSchema | null): void {
    this.protoSchema.value = loaded;
    this.saveProto();
  }

  /** Reads a connection's frames in one direction as a message type ('' for the wire format). */
  setProtoMapping(connection: Connection, direction: 'sent' | 'received', typeName: string): void {
    this.protoMappings.value = withMapping(
      this.protoMappings.value,
      connection.url,
      direction,
      typeName,
    );
    this.saveProto();
  }

  private saveProto(): void {
    this.redecode();
    void this.refilterNow();
    this.storage
      ?.saveProto?.({
        schema: this.protoSchema.value?.stored ?? null,
        mappings: this.protoMappings.value,
      })
      .catch((error: Error) => {
        this.notice.value = `Could not save the protobuf schema: ${error.message}`;
      });
  }

  async saveSettings(limits: Limits): Promise<void> {
    this.applyLimits(limits);
    await this.storage?.save(limits);
  }

  private applyLimits(limits: Limits): void {
    this.limits.value = limits;
    this.session.memoryBudget = limits.panelMemoryBudget;
    this.session.evictOldestPayloads();
    this.changed();
  }

  /** The session changed (new events): update the filtered view and schedule a render. */
  changed = (): void => {
    if (this.session.epoch !== this.epoch) {
      this.epoch = this.session.epoch;
      this.searchAhead.reset();
      this.redecode();
      this.refilterNow();
    } else this.filtered.extend(this.session.frames);
    this.scheduleRender(this.bumpRevision, this.streaming);
    this.scheduleIdleWork();
  };

  private idleWorkScheduled = false;

  /** Forgets every decoded form (another decoder, a cleared log) and decodes again, ahead. */
  private redecode(): void {
    this.decoding.reset();
    this.scheduleIdleWork();
  }

  /**
   * Decodes the log ahead of the views in idle time (protocol-decoding.ts), so that a
   * decoded-field filter finds the frames decoded: new frames as they arrive, a loaded file's
   * in the seconds after it loads. Then builds binary frames' searched hex, so that a first
   * regular expression finds it built.
   */
  private scheduleIdleWork(): void {
    if (this.idleWorkScheduled) return;
    this.idleWorkScheduled = true;
    whenIdle((timeLeft) => {
      this.idleWorkScheduled = false;
      const { session } = this;
      const more =
        this.decoding.decodeAhead(
          session.frames,
          (key) => session.connections.get(key),
          timeLeft,
        ) || this.searchAhead.run(session.frames, timeLeft);
      if (more) this.scheduleIdleWork();
    });
  }

  private readonly bumpRevision = (): void => {
    const rows = this.filtered.matches.length;
    this.streaming = rows - this.rowsAtLastRender > SCREENFUL_ROWS;
    this.rowsAtLastRender = rows;
    this.revision.value++;
  };

  /** A frame as its connection's protocol reads it (for decoded-field filters). */
  readonly decodedOf = (frame: Frame) => {
    const connection = this.session.connections.get(frame.connectionKey);
    return connection && this.decoding.outcomeOf(frame, connection, this.session.frames);
  };

  /** Changes the filter; the (possibly long) re-scan starts once typing pauses. */
  setFilter(change: Partial<FilterSpec>, immediately = false): void {
    this.filter.value = { ...this.filter.value, ...change };
    clearTimeout(this.filterTimer);
    if (immediately) this.refilterNow();
    else this.filterTimer = setTimeout(() => this.refilterNow(), FILTER_DEBOUNCE_MS);
  }

  /** Resolves when the current filter has scanned every frame (for tests and benchmarks). */
  refilterNow(): Promise<boolean> {
    const compiled = compileFilter(this.filter.value, this.decodedOf);
    this.filterError.value = compiled.error ?? null;
    if (!compiled.predicate) return Promise.resolve(false);
    // A long scan shows its progress a few times a second, not after every slice: each render of
    // the panel between slices is time the scan waits for.
    let shownAt = performance.now();
    return this.filtered.refilter(this.session.frames, compiled.predicate, yieldToUi, () => {
      const now = performance.now();
      if (this.filtered.busy && now - shownAt < PROGRESS_INTERVAL_MS) return;
      shownAt = now;
      this.revision.value++;
    });
  }

  /** Runs a command and reports the outcome to the user; resolves true on success. */
  async act(documentId: string, command: PageCommand, done: string): Promise<boolean> {
    const result = await this.runCommand(documentId, command);
    this.notice.value = result.ok
      ? done
      : `Could not ${describeCommand(command)}: ${result.error ?? 'unknown error'}`;
    return result.ok;
  }

  /** Sends the intercept rules to every live document of the tab (each frame has its own hook). */
  async applyIntercept(settings: InterceptSettings): Promise<void> {
    this.intercept.value = settings;
    const selected = this.filter.value.connectionKey
      ? this.session.connections.get(this.filter.value.connectionKey)
      : undefined;
    const rule = (enabled: boolean, documentId: string): InterceptRule => ({
      enabled: enabled && (!settings.selectedOnly || selected?.documentId === documentId),
      query: settings.query,
      regex: settings.regex,
      connectionIds: settings.selectedOnly && selected ? [selected.id] : [],
    });
    const documents = [...this.session.documents.values()].filter((document) => !document.imported);
    const results = await Promise.all(
      documents.map(({ info }) =>
        this.runCommand(info.documentId, {
          kind: 'intercept',
          outgoing: rule(settings.outgoing, info.documentId),
          incoming: rule(settings.incoming, info.documentId),
        }),
      ),
    );
    const failed = results.filter((result) => !result.ok);
    this.notice.value =
      failed.length > 0
        ? `Intercept could not be set in ${failed.length} of ${documents.length} frames: ${failed[0]!.error}`
        : (settings.outgoing || settings.incoming) && settings.selectedOnly && !selected
          ? 'Intercept holds nothing until a connection is selected.'
          : settings.outgoing || settings.incoming
            ? `Intercepting ${[settings.outgoing && 'outgoing', settings.incoming && 'incoming'].filter(Boolean).join(' and ')} frames${settings.selectedOnly && selected ? ` on ${labelOf(selected).text}` : ''}${settings.query ? ` matching ${settings.regex ? `/${settings.query}/` : `"${settings.query}"`}` : ''}.`
            : 'Intercept is off; every held frame was forwarded.';
  }

  selectConnection(key: string | null): void {
    if (key === this.filter.value.connectionKey) return;
    this.setFilter({ connectionKey: key }, true);
    // Intercept scoped to the selected connection follows the selection.
    const intercept = this.intercept.value;
    if (intercept.selectedOnly && (intercept.outgoing || intercept.incoming)) {
      void this.applyIntercept(intercept);
    }
  }

  /** Selects a connection and shows it, with its actions, in the details pane. */
  showConnection(key: string): void {
    this.selectConnection(key);
    this.detailsView.value = 'connection';
    this.detailsOpen.value = true;
  }

  /**
   * Shows a recorded frame (or, by key, a held one) in the details pane; null only clears the
   * frame selection (a connection's pane stays open).
   */
  selectFrame(frame: Frame | null, heldKey: string | null = null): void {
    this.selectedFrame.value = frame;
    this.selectedHeld.value = heldKey;
    if (!frame && heldKey === null) return;
    this.detailsView.value = 'frame';
    this.detailsOpen.value = true;
  }

  setPaused(paused: boolean): void {
    this.paused.value = paused;
    this.session.paused = paused;
    this.changed();
  }

  setPreserveLog(preserve: boolean): void {
    this.preserveLog.value = preserve;
    this.session.preserveLog = preserve;
  }

  clear(): void {
    this.session.clear();
    const selected = this.filter.value.connectionKey;
    if (selected !== null && !this.session.connections.has(selected)) {
      this.setFilter({ connectionKey: null }, true);
    }
    this.selectedFrame.value = null;
    this.detailsOpen.value = false;
    this.changed();
  }
}

function describeCommand(command: PageCommand): string {
  switch (command.kind) {
    case 'send':
      return 'send the frame';
    case 'deliver':
      return 'deliver the frame to the page';
    case 'close':
      return 'close the connection';
    case 'reconnect':
      return 'reconnect';
    case 'release':
      return `${command.action} the held frame`;
    default:
      return 'change intercept';
  }
}

/** Without requestIdleCallback, work runs in short slices between tasks. */
const IDLE_FALLBACK_SLICE_MS = 8;

/** Runs `work` when the panel is idle, with a clock of the ms it may take. */
function whenIdle(work: (timeLeft: () => number) => void): void {
  if (typeof requestIdleCallback === 'function') {
    requestIdleCallback((deadline) => work(() => deadline.timeRemaining()));
    return;
  }
  setTimeout(() => {
    const end = performance.now() + IDLE_FALLBACK_SLICE_MS;
    work(() => end - performance.now());
  }, 0);
}

function yieldToUi(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
