/** English text of making a sync pair (Create → Preview → Start), what sync does, Remove (spread into en.ts's `sync`). */
export const enSyncFlow = {
  oneWay: 'Cloud → this computer. Changes you make here stay here and are never uploaded.',
  autoOn_one:
    'Once started, it runs on its own every minute, and within a minute of a change where Infomaniak reports changes.',
  autoOn_other:
    'Once started, it runs on its own every {{count, number}} minutes, and within a minute of a change where Infomaniak reports changes.',
  autoOff: 'It runs when you choose Sync now: automatic sync is off in Settings.',
  maildir:
    'Kept as a Maildir per mail folder: unread messages in "new", read ones in "cur", subfolders inside their folder.',
  ignoreDeletesMail: 'A mail program moves and renames the files it reads: with this on, they are not fetched again.',
  created: 'Sync pair created for “{{name}}”. Nothing is downloaded until you start it.',
  start: 'Start',
  close: 'Close',
  notStarted: 'Not started',
  notStartedHint: 'Not started yet: Preview shows what the first run would do, Start runs it.',
  previewing: 'Checking what the run would do…',
  previewCost_one: 'It takes at least {{count, number}} request to Infomaniak.',
  previewCost_other: 'It takes at least {{count, number}} requests to Infomaniak.',
  previewCostLong: 'It takes at least {{count, number}} requests to Infomaniak: at 60 a minute, about {{duration}}.',
  minutes_one: '{{count, number}} minute',
  minutes_other: '{{count, number}} minutes',
  hours_one: '{{count, number}} hour',
  hours_other: '{{count, number}} hours',
  removeTitle: 'Remove the sync pair “{{name}}”?',
  removeBody: 'The files in {{path}} stay on this computer. They are no longer updated from the cloud.',
  removeConfirm: 'Remove pair',
  keptIn: 'Kept in sync with {{path}}.',
};
