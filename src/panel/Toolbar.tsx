import type { ComponentChildren } from 'preact';
import { pageHost } from '../session/page-host';
import { OverflowRow, type RowItem } from './layout/OverflowRow';
import type { PanelState } from './panel-state';
import type { RulesSource } from './rules/rules-store';

interface Props {
  state: PanelState;
  tabId: number;
  onPopOut?: () => void;
  /** The session is mutated in place; this tells the memoized render that it changed. */
  revision: number;
  /** The connection sidebar can be shown at this size (it folds into a strip when not). */
  sidebarAvailable: boolean;
  /** The session file controls (export, import, copy as code). */
  files: ComponentChildren;
  /** The saved rules, when this panel can edit them: a Rules button opens them. */
  rules?: RulesSource;
}

/**
 * Recording controls, time mode, the session's totals and files, the inspected page's host and
 * rules and settings: one row at any width, the least used controls moving into its "more" menu.
 */
export function Toolbar({ state, tabId, onPopOut, sidebarAvailable, files, rules }: Props) {
  const { session } = state;
  const rulesOn = rules?.rules.value.filter((rule) => rule.enabled).length ?? 0;
  const page = session.currentPage;
  const paused = state.paused.value;
  const collapsed = state.layout.value.sidebarCollapsed;
  const items: Array<RowItem | false> = [
    {
      id: 'record',
      priority: Number.POSITIVE_INFINITY,
      render: () => (
        <button
          type="button"
          class={paused ? 'record paused' : 'record'}
          aria-pressed={!paused}
          aria-label={paused ? 'Resume recording' : 'Pause recording'}
          title={paused ? 'Resume recording' : 'Pause recording'}
          onClick={() => state.setPaused(!paused)}
          data-testid="record-toggle"
        >
          {paused ? '● Resume' : '❚❚ Pause'}
        </button>
      ),
    },
    {
      id: 'clear',
      priority: Number.POSITIVE_INFINITY,
      render: () => (
        <button
          type="button"
          aria-label="Clear"
          title="Clear frames and ended connections"
          onClick={() => state.clear()}
          data-testid="clear"
        >
          ⌫ Clear
        </button>
      ),
    },
    (sidebarAvailable || collapsed) && {
      id: 'sidebar',
      priority: 15,
      render: () => (
        <button
          type="button"
          aria-pressed={!collapsed}
          title={collapsed ? 'Show connections as a sidebar' : 'Fold the connections into a strip'}
          onClick={() => state.setLayout({ sidebarCollapsed: !collapsed }, true)}
          data-testid="toggle-sidebar"
        >
          {collapsed ? '▸ Sidebar' : '◂ Sidebar'}
        </button>
      ),
    },
    {
      id: 'preserve-log',
      priority: 60,
      render: () => (
        <label title="Keep connections of earlier pages when the page reloads or navigates">
          <input
            type="checkbox"
            checked={state.preserveLog.value}
            onChange={(event) => state.setPreserveLog((event.target as HTMLInputElement).checked)}
            data-testid="preserve-log"
          />
          Preserve log
        </label>
      ),
    },
    {
      id: 'relative-time',
      priority: 20,
      render: () => (
        <label title="Show times relative to each connection's start">
          <input
            type="checkbox"
            checked={state.timeMode.value === 'relative'}
            onChange={(event) => {
              state.timeMode.value = (event.target as HTMLInputElement).checked
                ? 'relative'
                : 'absolute';
            }}
            data-testid="relative-time"
          />
          Relative time
        </label>
      ),
    },
    {
      id: 'totals',
      priority: 50,
      render: () => (
        <span
          class="totals"
          data-testid="totals"
          title={`${session.connectionList.length} connections, ${session.frames.length} frames`}
        >
          {session.connectionList.length} connections, {session.frames.length} frames
        </span>
      ),
    },
    { id: 'files', priority: 30, render: () => <>{files}</> },
    { id: 'spacer', priority: Number.POSITIVE_INFINITY, minWidth: 0, render: () => <span /> },
    {
      id: 'page-host',
      priority: 40,
      render: () => (
        <span
          class="page-host"
          data-testid="page-host"
          title={`${page?.url ?? 'No page yet'} (tab ${tabId})`}
        >
          {pageHost(page?.url)}
        </span>
      ),
    },
    rules !== undefined && {
      id: 'rules',
      // Rules that change the page's traffic stay in sight longer than the totals.
      priority: rulesOn > 0 ? 55 : 36,
      render: () => (
        <button
          type="button"
          class={rulesOn > 0 ? 'rules-on' : undefined}
          aria-label="Rules"
          title={
            rulesOn > 0
              ? `${rulesOn} ${rulesOn === 1 ? 'rule is' : 'rules are'} on, in every tab`
              : 'Rules: reply to, rewrite, drop, delay or close sockets and frames'
          }
          onClick={() => {
            state.rulesOpen.value = true;
          }}
          data-testid="open-rules"
        >
          {rulesOn > 0 ? `Rules (${rulesOn})` : 'Rules'}
        </button>
      ),
    },
    {
      id: 'settings',
      priority: 35,
      render: () => (
        <button
          type="button"
          aria-label="Settings"
          onClick={() => {
            state.settingsOpen.value = true;
          }}
          data-testid="open-settings"
        >
          ⚙ Settings
        </button>
      ),
    },
    onPopOut !== undefined && {
      id: 'pop-out',
      priority: 10,
      render: () => (
        <button
          type="button"
          onClick={onPopOut}
          aria-label="Open in a separate window"
          data-testid="pop-out"
        >
          ⧉ Pop out
        </button>
      ),
    },
  ];
  return (
    <header class="toolbar-host">
      <OverflowRow
        items={items.filter((item): item is RowItem => item !== false)}
        className="toolbar"
        label="Recording"
        moreTestId="toolbar-more"
      />
    </header>
  );
}
