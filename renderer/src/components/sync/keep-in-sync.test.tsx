/**
 * Making a pair (issue 21.3): the form says it is one-way and when it runs; Create → Preview →
 * Start (nothing runs before Start, the Preview shows in the form); a refusal shows next to the
 * form, not in the Sync section; the pair row says one-way and offers Start; Remove asks and says
 * the files stay; a Preview clears once a run of its pair ended. Main is faked (test-support.tsx),
 * its pushes go through the real bridge.
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initI18n, setLanguage } from '../../i18n';
import { MAIL_FOLDER, pairStatus, planOf, ran, renderSync } from './test-support';

afterEach(cleanup);
// jsdom has no showModal(): open the dialog as a browser would, so it is found by its role and name.
const { showModal, close } = HTMLDialogElement.prototype;
beforeAll(async () => {
  await initI18n('en');
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});
afterAll(() => {
  Object.assign(HTMLDialogElement.prototype, { showModal, close });
});

const ONE_WAY = 'Cloud → this computer. Changes you make here stay here and are never uploaded.';
const form = () => screen.getByRole('form', { name: 'Keep in sync…' });
const draft = () => screen.getByRole('region', { name: 'Keep in sync…' });
const syncSection = () => screen.getByRole('region', { name: 'Sync' });
const row = (name: string) => within(syncSection()).getByRole('listitem', { name });

async function openForm() {
  await userEvent.click(screen.getByRole('button', { name: 'Keep in sync…' }));
  return form();
}

describe('Keep in sync… form', () => {
  it('says one-way and that it runs every 15 minutes by default (or only by hand when off)', async () => {
    renderSync({});
    const f = await openForm();
    expect(within(f).getByText(ONE_WAY)).toBeTruthy();
    expect(within(f).getByText(/runs on its own every 15 minutes, and within a minute of a change/)).toBeTruthy();
    cleanup();
    renderSync({ settings: { syncScheduled: false } });
    const off = await openForm();
    expect(within(off).getByText(/It runs when you choose Sync now: automatic sync is off/)).toBeTruthy();
  });

  it('says it in German', async () => {
    await setLanguage('de');
    try {
      renderSync({});
      await userEvent.click(screen.getByRole('button', { name: 'Synchron halten…' }));
      expect(
        screen.getByText('Cloud → dieser Computer. Was Sie hier ändern, bleibt hier und wird nie hochgeladen.'),
      ).toBeTruthy();
      expect(screen.getByText(/alle 15 Minuten/)).toBeTruthy();
    } finally {
      await setLanguage('en');
    }
  });

  it('Create → Preview → Start: nothing runs before Start, the Preview shows in the form', async () => {
    const { main } = renderSync({});
    const f = await openForm();
    await userEvent.click(within(f).getByRole('button', { name: 'Create sync pair' }));
    main.push(main.pairs);
    expect(main.channels()).toEqual(['sync:create']);
    const d = draft();
    expect(within(d).getByRole('status').textContent).toBe(
      'Sync pair created for “Projects”. Nothing is downloaded until you start it.',
    );
    expect(within(d).getByText(ONE_WAY)).toBeTruthy();
    // The focus moves on from the Create button that is gone, to the next step.
    expect(document.activeElement).toBe(within(d).getByRole('button', { name: 'Start' }));

    await userEvent.click(within(d).getByRole('button', { name: 'Preview' }));
    const plan = within(d).getByRole('list', { name: 'Planned changes' });
    expect(
      within(plan)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([expect.stringContaining('a.txt'), expect.stringContaining('b.txt')]);
    // Shown once: in the form, not again in the Sync section.
    expect(within(syncSection()).queryByRole('list', { name: 'Planned changes' })).toBeNull();
    expect(main.channels()).toEqual(['sync:create', 'sync:preview']);

    await userEvent.click(within(d).getByRole('button', { name: 'Start' }));
    expect(main.calls.at(-1)).toEqual({ channel: 'sync:run', arg: { ids: ['p1'] } });
    expect(screen.queryByRole('region', { name: 'Keep in sync…' })).toBeNull();
  });

  it('a mail folder is kept as a Maildir, its local deletes stay deleted by default', async () => {
    const { main } = renderSync({ node: MAIL_FOLDER });
    const f = await openForm();
    expect(within(f).getByText(/Kept as a Maildir per mail folder: unread messages in "new"/)).toBeTruthy();
    expect(
      within(f).getByRole<HTMLInputElement>('checkbox', { name: 'Files I delete locally stay deleted' }).checked,
    ).toBe(true);
    await userEvent.click(within(f).getByRole('button', { name: 'Create sync pair' }));
    expect(main.calls[0]).toEqual({
      channel: 'sync:create',
      arg: { nodeId: MAIL_FOLDER.id, layout: 'maildir', ignoreLocalDeletes: true, chooseFolder: false },
    });
  });

  it('a refusal shows next to the form, not in the Sync section', async () => {
    // A pair on a folder inside this one.
    const inside = pairStatus({ id: 'old', name: 'Work', nodeId: 'c1:kdrive:1:43', localPath: '/home/lea/Work' });
    const { main, store } = renderSync({ pairs: [ran(inside, 5)] });
    main.refuse = {
      code: 'validation',
      reason: 'pair_holds',
      params: { name: 'Work', path: '/home/lea/Work' },
      message:
        'This holds "Work", which is already kept in sync (/home/lea/Work). Remove that pair first, or choose another folder.',
    };
    const f = await openForm();
    await userEvent.click(within(f).getByRole('button', { name: 'Create sync pair' }));
    expect(within(form()).getByRole('alert').textContent).toBe(
      'This holds “Work”, which is already kept in sync (/home/lea/Work). Remove that pair first, or choose another folder.',
    );
    expect(within(syncSection()).queryByRole('alert')).toBeNull();
    expect(store.getState().syncError).toBeNull();
    // Trying again clears it while it asks.
    main.refuse = null;
    await userEvent.click(within(form()).getByRole('button', { name: 'Create sync pair' }));
    expect(within(draft()).queryByRole('alert')).toBeNull();
  });

  it('a folder a pair already keeps says where, and offers no second pair', () => {
    renderSync({ pairs: [ran(pairStatus(), 5)] });
    expect(screen.getByText('Kept in sync with /home/lea/Downloads/PowerOn Sources/Lea/kDrive/Projects.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Keep in sync…' })).toBeNull();
  });
});

describe('Pair row', () => {
  it('a pair not started yet says so, one-way, and offers Start (no Sync now, no Pause)', async () => {
    const { main } = renderSync({ pairs: [pairStatus()] });
    const r = row('Projects');
    expect(within(r).getByText('Not started')).toBeTruthy();
    expect(within(r).getByText(ONE_WAY)).toBeTruthy();
    expect(within(r).queryByRole('button', { name: 'Sync now' })).toBeNull();
    expect(within(r).queryByRole('button', { name: 'Pause' })).toBeNull();
    await userEvent.click(within(r).getByRole('button', { name: 'Start' }));
    expect(main.calls).toEqual([{ channel: 'sync:run', arg: { ids: ['p1'] } }]);
    main.push([ran(pairStatus(), 100)]);
    expect(within(row('Projects')).getByRole('button', { name: 'Sync now' })).toBeTruthy();
    expect(within(row('Projects')).getByText(ONE_WAY)).toBeTruthy();
  });

  it('Remove asks first and says the files stay; Cancel keeps the pair, the answer removes it', async () => {
    const { main } = renderSync({ pairs: [ran(pairStatus(), 100)] });
    await userEvent.click(within(row('Projects')).getByRole('button', { name: 'Remove' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove the sync pair “Projects”?' });
    expect(dialog.textContent).toContain(
      'The files in /home/lea/Downloads/PowerOn Sources/Lea/kDrive/Projects stay on this computer.',
    );
    expect(main.calls).toEqual([]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog', { hidden: true })).toBeNull();
    expect(main.calls).toEqual([]);

    await userEvent.click(within(row('Projects')).getByRole('button', { name: 'Remove' }));
    const again = screen.getByRole('dialog', { hidden: true });
    await userEvent.click(within(again).getByRole('button', { name: 'Remove pair' }));
    expect(main.calls).toEqual([{ channel: 'sync:remove', arg: { id: 'p1' } }]);
    expect(screen.queryByRole('dialog', { hidden: true })).toBeNull();
  });

  it('a Preview clears once a run of its pair starts and ends (it no longer says what the next run does)', async () => {
    const first = ran(pairStatus(), 100);
    const { main, store } = renderSync({ pairs: [first] });
    main.plan = planOf('p1', ['new.txt']);
    await userEvent.click(within(row('Projects')).getByRole('button', { name: 'Preview' }));
    expect(within(syncSection()).getByRole('list', { name: 'Planned changes' })).toBeTruthy();
    // Progress of something else (same last run) leaves it.
    main.push([{ ...first, nextRunAt: 5000 }]);
    expect(within(syncSection()).getByRole('list', { name: 'Planned changes' })).toBeTruthy();
    // The scheduled run starts: the plan is out of date.
    main.push([{ ...first, state: 'syncing' }]);
    expect(within(syncSection()).queryByRole('list', { name: 'Planned changes' })).toBeNull();
    expect(store.getState().syncPreview).toBeNull();
    main.push([ran(pairStatus(), 150)]);

    // A run that ended while the Preview was being made (never seen syncing) also makes it stale.
    await userEvent.click(within(row('Projects')).getByRole('button', { name: 'Preview' }));
    expect(within(syncSection()).getByRole('list', { name: 'Planned changes' })).toBeTruthy();
    main.push([ran(pairStatus(), 200)]);
    expect(within(syncSection()).queryByRole('list', { name: 'Planned changes' })).toBeNull();
  });
});
