/** German UI text of the Connections dialog and of adding a connection (spread into de.ts). */
export const deConnections = {
  connections: {
    title: 'Verbindungen',
    manage: 'Verbindungen',
    add: 'Verbindung hinzufügen',
    active: 'Aktiv',
    needsAttention: 'Handlungsbedarf',
    demo: 'Demo',
    replaceToken: 'Token ersetzen',
    remove: 'Entfernen',
    removeConfirm:
      'Verbindung "{{label}}" entfernen? Das gespeicherte Token wird gelöscht. Heruntergeladene Dateien bleiben erhalten.',
    scopes: 'Berechtigungen',
    accounts: 'Konten',
    none: 'Noch keine Verbindungen.',
    close: 'Schliessen',
    services: 'Dienste',
    // Warum ein Dienst nicht verfügbar ist (nach reasonCode; Mains englischer Grund nur auf Englisch).
    reason: {
      mail_blocked:
        'Mail ist für dieses Token nicht verfügbar. Mail braucht ein Token mit der Berechtigung workspace:mail.',
      scope_missing: 'Diesem Token fehlt die Berechtigung {{scope}}. Erstellen Sie ein neues Token damit.',
      probe_failed: 'Es liess sich nicht prüfen, ob dieser Dienst verfügbar ist. Aktualisieren Sie später.',
    },
    unavailable: 'Nicht verfügbar',
    endpointsHint:
      'Die App verwendet jetzt andere Infomaniak-Adressen, als beim Einrichten dieser Verbindung. Ihr Token wird nirgendwohin gesendet, bis Sie bestätigen. Bestätigen Sie nur, wenn Sie die App absichtlich mit diesen Adressen gestartet haben.',
    confirmEndpoints: 'Neue Adressen verwenden',
  },
  add: {
    title: 'Infomaniak verbinden',
    replaceTitle: 'Token von "{{label}}" ersetzen',
    tokenLabel: 'Persönliches Zugriffstoken',
    showToken: 'Token anzeigen',
    problem: {
      empty: 'Fügen Sie Ihr Token in dieses Feld ein.',
      tooShort: 'Das Token ist zu kurz. Kopieren Sie das ganze Token aus dem Infomaniak Manager.',
      tooLong: 'Das Token ist zu lang. Kopieren Sie nur das Token aus dem Infomaniak Manager.',
      badChars: 'Das Token enthält Leerzeichen oder Zeichen, die in keinem Token vorkommen. Kopieren Sie es erneut.',
      rejected: 'Das sieht nicht wie ein Token aus. Kopieren Sie es erneut aus dem Infomaniak Manager.',
      unreachable:
        'Infomaniak ist nicht erreichbar, das Token wurde darum nicht geprüft. Prüfen Sie die Internetverbindung (und einen Proxy, falls Sie einen verwenden) und versuchen Sie es erneut.',
    },
    tokenHelp:
      'Erstellen Sie ein Token mit den Berechtigungen accounts, drive, workspace:calendar, workspace:contact und workspace:mail. Infomaniak zeigt es nur einmal an.',
    openTokenPage: 'Token-Seite im Infomaniak Manager öffnen',
    connect: 'Verbinden',
    cancel: 'Abbrechen',
    checking: 'Token wird geprüft…',
    weakStorageTitle: 'Kein Schlüsselbund auf diesem Computer',
    weakStorageBody:
      'Das Token kann auf der Festplatte nur verschleiert, nicht verschlüsselt werden: Wer Ihre Dateien lesen kann, könnte es verwenden. Installieren oder entsperren Sie einen Schlüsselbund (GNOME Keyring, KWallet) für echte Verschlüsselung.',
    weakStorageAgree: 'Token trotzdem speichern',
    hostVault: 'Browser-Host: Das Token liegt verschlüsselt im Datenordner des Hosts, der Schlüssel daneben.',
    steps: {
      accounts: 'Konten (Berechtigung accounts)',
      label: 'Kalender oder Kontakte (Berechtigung workspace:calendar oder workspace:contact)',
      drive: 'kDrive (Berechtigung drive)',
      mail: 'Mail (optional)',
    },
    state: {
      pending: 'Wartet',
      running: 'Wird geprüft',
      ok: 'OK',
      failed: 'Fehlgeschlagen',
      skipped: 'Nicht verfügbar',
      notRun: 'Nicht geprüft',
    },
  },
};
