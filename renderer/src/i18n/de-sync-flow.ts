/** Deutsche Texte zum Einrichten einer Synchronisation (Einrichten → Vorschau → Starten), Entfernen (in de.ts unter `sync` eingefügt). */
import type { enSyncFlow } from './en-sync-flow';

export const deSyncFlow: { [K in keyof typeof enSyncFlow]: string } = {
  oneWay: 'Cloud → dieser Computer. Was Sie hier ändern, bleibt hier und wird nie hochgeladen.',
  autoOn_one:
    'Einmal gestartet, läuft sie selbständig jede Minute und innerhalb einer Minute nach einer Änderung, wo Infomaniak Änderungen meldet.',
  autoOn_other:
    'Einmal gestartet, läuft sie selbständig alle {{count, number}} Minuten und innerhalb einer Minute nach einer Änderung, wo Infomaniak Änderungen meldet.',
  autoOff:
    'Sie läuft, wenn Sie «Jetzt synchronisieren» wählen: Automatisches Synchronisieren ist in den Einstellungen aus.',
  maildir:
    'Gespeichert als ein Maildir pro Mail-Ordner: ungelesene Nachrichten in «new», gelesene in «cur», Unterordner in ihrem Ordner.',
  ignoreDeletesMail:
    'Ein Mailprogramm verschiebt und benennt die Dateien um, die es liest: Ist dies eingeschaltet, werden sie nicht erneut geholt.',
  created: 'Synchronisation für «{{name}}» eingerichtet. Nichts wird heruntergeladen, bis Sie sie starten.',
  start: 'Starten',
  close: 'Schliessen',
  notStarted: 'Nicht gestartet',
  notStartedHint: 'Noch nicht gestartet: Die Vorschau zeigt, was der erste Lauf tun würde, «Starten» führt ihn aus.',
  previewing: 'Prüfe, was der Lauf tun würde…',
  previewCost_one: 'Das braucht mindestens {{count, number}} Anfrage an Infomaniak.',
  previewCost_other: 'Das braucht mindestens {{count, number}} Anfragen an Infomaniak.',
  previewCostLong:
    'Das braucht mindestens {{count, number}} Anfragen an Infomaniak: bei 60 pro Minute etwa {{duration}}',
  minutes_one: '{{count, number}} Min.',
  minutes_other: '{{count, number}} Min.',
  hours_one: '{{count, number}} Std.',
  hours_other: '{{count, number}} Std.',
  removeTitle: 'Synchronisation «{{name}}» entfernen?',
  removeBody: 'Die Dateien in {{path}} bleiben auf diesem Computer. Sie werden nicht mehr aus der Cloud aktualisiert.',
  removeConfirm: 'Synchronisation entfernen',
  keptIn: 'Synchron gehalten mit {{path}}.',
};
