import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FEEDBACK_MS, createAppStore } from '../../store';
import type { AppStore } from '../../store';
import { en as appEn } from '../../i18n/en';
import { TreeFeedbackStatus, feedbackText } from './feedback-status';
import { file, folder, page } from './test-support';

const labels = { ...appEn.treeFeedback, dismiss: 'Dismiss' };
const formatError = (e: { message: string }) => e.message;

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  localStorage.clear();
});

/** The feedback line bound to a store, as the Sources panel renders it. */
function Bound({ app }: { app: AppStore }) {
  const s = app.getState();
  return (
    <TreeFeedbackStatus current={s.feedback} dismiss={s.dismissFeedback} labels={labels} formatError={formatError} />
  );
}

describe('tree feedback', () => {
  it('a confirmation goes after FEEDBACK_MS; a failed copy stays until dismissed or replaced', () => {
    vi.useFakeTimers();
    const app = createAppStore();
    const s = app.getState();
    s.showFeedback({ kind: 'pathCopied', name: 'a.txt' });
    vi.advanceTimersByTime(FEEDBACK_MS - 1);
    expect(app.getState().feedback?.kind).toBe('pathCopied');
    vi.advanceTimersByTime(1);
    expect(app.getState().feedback).toBeNull();

    s.showFeedback({ kind: 'pathCopied', name: 'a.txt' });
    s.showFeedback({ kind: 'copyFailed', name: 'a.txt' });
    vi.advanceTimersByTime(FEEDBACK_MS * 10);
    expect(app.getState().feedback?.kind).toBe('copyFailed');
    s.dismissFeedback();
    expect(app.getState().feedback).toBeNull();
  });

  it('says what failed and what to do: the browser refused the clipboard, or main’s error', () => {
    expect(feedbackText({ kind: 'copyFailed', name: 'a.txt' }, labels, formatError)).toBe(
      'The path of “a.txt” could not be copied: the browser does not let this page use the clipboard. Allow clipboard access for this page in the browser, then try again.',
    );
    const error = { code: 'internal' as const, message: 'The clipboard is busy.' };
    expect(feedbackText({ kind: 'copyFailed', name: 'a.txt', error }, labels, formatError)).toBe(
      'The path of “a.txt” could not be copied: The clipboard is busy. Try again.',
    );
  });

  it('shows the same confirmation twice as a new node inside one lasting status region (announced again)', () => {
    const app = createAppStore();
    const view = render(<Bound app={app} />);
    const rerender = () => view.rerender(<Bound app={app} />);
    const region = screen.getByRole('status');
    expect(region.textContent).toBe('');
    act(() => app.getState().showFeedback({ kind: 'pathCopied', name: 'a.txt' }));
    rerender();
    const first = region.firstElementChild;
    expect(region.textContent).toBe('Path of “a.txt” copied');
    expect(screen.queryByRole('button', { name: 'Dismiss' })).toBeNull();
    act(() => app.getState().showFeedback({ kind: 'pathCopied', name: 'a.txt' }));
    rerender();
    expect(screen.getByRole('status')).toBe(region);
    expect(region.firstElementChild).not.toBe(first);
    act(() => app.getState().showFeedback({ kind: 'copyFailed', name: 'a.txt' }));
    rerender();
    act(() => screen.getByRole('button', { name: 'Dismiss' }).click());
    rerender();
    expect(region.textContent).toBe('');
  });
});

describe('revealNode (Show in tree, once the item is loaded)', () => {
  function store() {
    const app = createAppStore();
    const s = app.getState();
    s.setRoots([folder('d', null, 'Drive', { kind: 'drive' })]);
    s.applyPage(page('d', [folder('a', 'd', 'Alpha'), file('x', 'd', 'Other.txt')]));
    s.applyPage(page('a', [folder('b', 'a', 'Beta')]));
    s.applyPage(page('b', [file('t', 'b', 'Target.md')]));
    return app;
  }

  it('opens the folders above the item, clears a filter that hides it (and says so), selects and focuses it', async () => {
    const app = store();
    app.getState().setFilter('Other');
    expect(await app.getState().revealNode('t')).toBe(true);
    const s = app.getState();
    expect(s.filter).toBe('');
    expect(s.tree.rows().map((r) => r.node.name)).toEqual(['Drive', 'Alpha', 'Beta', 'Target.md', 'Other.txt']);
    expect([...s.selected]).toEqual(['t']);
    expect(s.focusedId).toBe('t');
    expect(s.feedback).toMatchObject({ kind: 'filterCleared', name: 'Target.md' });
  });

  it('leaves a filter that shows the item, and says nothing', async () => {
    const app = store();
    app.getState().setFilter('target');
    expect(await app.getState().revealNode('t')).toBe(true);
    expect(app.getState().filter).toBe('target');
    expect(
      app
        .getState()
        .tree.rows('target')
        .some((r) => r.id === 't'),
    ).toBe(true);
    expect(app.getState().feedback).toBeNull();
    expect(await app.getState().revealNode('missing')).toBe(false);
  });
});
