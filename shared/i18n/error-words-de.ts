/** Fehler auf Deutsch (Schweiz): was geschah und was zu tun ist (Typ und Regeln: error-words.ts). */
import type { ErrorWordsTable } from './error-words';

const SCOPES = 'accounts, drive, workspace:calendar, workspace:contact und workspace:mail';
/** Ein Name in Anführungszeichen, oder die Worte dafür, wenn keiner bekannt ist. */
const q = (name: string, none = 'Das Element') => (name ? `«${name}»` : none);

export const errorWordsDe: ErrorWordsTable = {
  codes: {
    validation: () => 'Diese Eingabe wurde nicht angenommen. Prüfen Sie den Wert und versuchen Sie es erneut.',
    untrusted_sender: () => 'Diese Anfrage kam nicht aus der App und wurde abgelehnt.',
    not_found: (v) =>
      `Dieses Element existiert${v.host ? ` auf ${v.host}` : ''} nicht mehr. Aktualisieren Sie den Ordner, in dem es war, und versuchen Sie es erneut.`,
    internal: () => 'In der App ist etwas schiefgelaufen. Die Details stehen im Protokoll; versuchen Sie es erneut.',
    token_invalid: () =>
      'Infomaniak hat das Token abgelehnt: Es ist falsch, widerrufen oder abgelaufen. Ersetzen Sie es unter Verbindungen durch ein neues.',
    scope_missing: (v) => `Dem Token fehlt die Berechtigung ${v.scope}. Erstellen Sie ein neues Token mit ${SCOPES}.`,
    forbidden: (v) =>
      `${v.host || 'Infomaniak'} verweigert den Zugriff auf dieses Element. Prüfen Sie in der Infomaniak-Web-App, ob Ihr Konto es öffnen darf.`,
    rate_limited: (v) =>
      `Infomaniak begrenzt die Anfragen. Versuchen Sie es ${v.seconds ? `in ${v.seconds} s` : 'in einer Minute'} erneut.`,
    maintenance: () => 'Dieses Laufwerk wird gewartet. Versuchen Sie es später erneut.',
    api_error: (v) => `Infomaniak hat mit einem Fehler geantwortet${v.code}. Versuchen Sie es später erneut.`,
    network: (v) =>
      `Infomaniak ist nicht erreichbar${v.detail ? ` (${v.detail})` : ''}. Prüfen Sie die Internetverbindung (und einen Proxy, falls Sie einen verwenden) und versuchen Sie es erneut.`,
    timeout: (v) => `${v.host || 'Infomaniak'} hat zu lange nicht geantwortet. Versuchen Sie es erneut.`,
    unsafe_redirect: () =>
      'Infomaniak hat auf eine unsichere Adresse umgeleitet; die Anfrage wurde gestoppt. Versuchen Sie es später erneut.',
    unavailable: () => 'Das ist hier nicht verfügbar.',
    weak_storage: () =>
      'Dieser Computer hat keinen Schlüsselbund; das Token könnte nur verschleiert werden. Stimmen Sie zu oder richten Sie einen Schlüsselbund ein (GNOME Keyring oder KWallet) und versuchen Sie es erneut.',
    vault_locked: () =>
      'Das gespeicherte Token kann nicht mehr entschlüsselt werden (der Schlüsselbund hat sich geändert). Geben Sie es unter Verbindungen erneut ein; die Einstellungen der Verbindung bleiben erhalten.',
    endpoints_changed: (v) =>
      `Diese Verbindung wurde für andere Infomaniak-Adressen eingerichtet, als die App jetzt verwendet${v.list ? ` (${v.list})` : ''}. Ihr Token wird nicht gesendet, bis Sie die neuen Adressen unter Verbindungen bestätigen.`,
    disk_full: () =>
      'Die Festplatte ist voll. Schaffen Sie Platz und versuchen Sie es erneut: Der Download wird dort fortgesetzt, wo er stehen blieb.',
    io: (v) =>
      `Eine Datei konnte nicht gelesen oder geschrieben werden${v.detail ? ` (${v.detail})` : ''}. Prüfen Sie, ob der Ordner existiert und Sie darin schreiben dürfen, und versuchen Sie es erneut.`,
    cancelled: () => 'Abgebrochen.',
    integrity: () =>
      'Die heruntergeladene Datei passte nicht zu den Angaben von Infomaniak und wurde verworfen. Laden Sie sie erneut herunter.',
    unsafe_path: (v) =>
      `${q(v.path, 'Ein Ordner auf dem Weg')} ist eine Verknüpfung (Link oder Junction); darum wurde nichts darüber geschrieben. Verschieben Sie sie (oder legen Sie den echten Ordner zurück) und versuchen Sie es erneut.`,
    unsafe_file: (v) =>
      `${q(v.name, 'Diese Datei')} kann beim Öffnen Programme starten oder Einstellungen ändern und wird darum hier nicht geöffnet. Wenn Sie ihr vertrauen, öffnen Sie sie selbst in ihrem Ordner (Im Ordner zeigen).`,
  },
  scopeUnnamed: () => `Dem Token fehlt eine Berechtigung. Erstellen Sie ein neues Token mit ${SCOPES}.`,
  reasons: {
    validation: {
      unknown_channel: () => 'Die App hat etwas verlangt, das diese Version nicht kennt. Starten Sie die App neu.',
      too_many_pairs: (v) =>
        `Höchstens ${v.limit} Synchronisationen sind möglich. Entfernen Sie zuerst eine, die Sie nicht mehr brauchen.`,
      pair_kind: () =>
        'Nur Laufwerke, Ordner, Kalender, Adressbücher, Postfächer und Mail-Ordner können synchronisiert werden. Wählen Sie eines davon.',
      pair_vault: (v) =>
        `${q(v.name)} ist ein sicherer Tresor und kann nicht synchronisiert werden. Öffnen Sie ihn in kDrive.`,
      pair_taken: (v) => `Dies wird bereits von der Synchronisation ${q(v.name)} (${v.path}) synchronisiert.`,
      pair_inside: (v) =>
        `Dies liegt in ${q(v.name)}, das bereits synchronisiert wird (${v.path}). Wählen Sie einen Ordner ausserhalb davon oder entfernen Sie zuerst jene Synchronisation.`,
      pair_holds: (v) =>
        `Dies enthält ${q(v.name)}, das bereits synchronisiert wird (${v.path}). Entfernen Sie zuerst jene Synchronisation oder wählen Sie einen anderen Ordner.`,
      folder_overlap: (v) =>
        `Dieser Ordner überschneidet sich mit dem Ordner der Synchronisation «${v.name}» (${v.path}). Wählen Sie einen Ordner ausserhalb davon.`,
      layout: (v) => `Dieses Element kann so abgelegt werden: ${v.list}. Wählen Sie eine dieser Formen.`,
      drag_files_only: () =>
        'Nur Dateien können aus dem Browser gezogen werden. Verwenden Sie für den Rest «Speichern unter…».',
      not_draggable: (v) => `${q(v.name)} kann nicht herausgezogen werden. Verwenden Sie «Speichern unter…».`,
      nothing_to_drag: () => 'Nichts zum Ziehen. Wählen Sie zuerst eine Datei.',
      downloads_dir_relative: () =>
        'Der Download-Ordner muss ein vollständiger Pfad sein. Wählen Sie ihn in den Einstellungen erneut.',
    },
    not_found: {
      connection_gone: () => 'Diese Verbindung existiert nicht mehr. Fügen Sie sie unter Verbindungen erneut hinzu.',
      node_unknown: () =>
        'Dieses Element ist (nicht mehr) bekannt. Öffnen oder aktualisieren Sie seinen Ordner erneut.',
      pair_gone: () => 'Diese Synchronisation existiert nicht mehr. Richten Sie sie in ihrem Ordner erneut ein.',
      transfer_gone: () => 'Dieser Download ist nicht mehr in der Liste.',
      file_not_there: () =>
        'Die heruntergeladene Datei ist (noch) nicht da. Vielleicht wurde sie verschoben oder gelöscht; laden Sie sie erneut herunter.',
      no_web_page: () => 'Dieses Element hat keine Seite in der Infomaniak-Web-App.',
      not_downloadable: () =>
        'Dieses Element kann nicht heruntergeladen werden. Wählen Sie stattdessen eine Datei oder einen Ordner.',
      not_syncable: () =>
        'Dieses Element kann nicht synchronisiert werden. Wählen Sie ein Laufwerk, einen Ordner, einen Kalender, ein Adressbuch, ein Postfach oder einen Mail-Ordner.',
      no_children: () => 'Dieses Element enthält nichts.',
      invalid_id: () =>
        'Die Adresse dieses Elements ist nicht mehr gültig. Aktualisieren Sie seinen Ordner und versuchen Sie es erneut.',
      contact_gone: () => 'Dieser Kontakt existiert nicht mehr. Aktualisieren Sie das Adressbuch.',
      book_gone: () => 'Dieses Adressbuch existiert nicht mehr. Aktualisieren Sie die Kontakte.',
      version_unknown: () => 'Diese Version ist (nicht mehr) bekannt. Zeigen Sie die Versionen erneut an.',
    },
    network: {
      proxy_auth: (v) =>
        `Der Proxy verlangt ein Passwort, um ${v.host || 'Infomaniak'} zu erreichen. Tragen Sie Benutzername und Passwort des Proxys in den Systemeinstellungen (oder in HTTPS_PROXY) ein und versuchen Sie es erneut.`,
      proxy_refused: (v) =>
        `Der Proxy hat die Verbindung zu ${v.host || 'Infomaniak'} abgelehnt${v.detail ? ` (${v.detail})` : ''}. Prüfen Sie die Proxy-Einstellungen und versuchen Sie es erneut.`,
      certificate: (v) =>
        `Dem Zertifikat von ${v.host || 'dem Server'} wird nicht vertraut${v.detail ? ` (${v.detail})` : ''}. Wenn Ihr Netzwerk HTTPS prüft, fügen Sie dessen Zertifikat hinzu (NODE_EXTRA_CA_CERTS); sonst versuchen Sie es später erneut.`,
      lost: (v) =>
        `Die Verbindung zu Infomaniak ist abgebrochen${v.detail ? ` (${v.detail})` : ''}. Prüfen Sie die Internetverbindung und versuchen Sie es erneut.`,
      not_checked: () =>
        'Infomaniak ist nicht erreichbar; das Token wurde darum nicht geprüft. Prüfen Sie die Internetverbindung (und einen Proxy, falls Sie einen verwenden) und versuchen Sie es erneut.',
    },
    timeout: {},
    api_error: {
      unreadable: (v) =>
        `${v.host || 'Infomaniak'} hat eine Antwort gesendet, die die App nicht lesen konnte${v.detail ? ` (${v.detail})` : ''}. Versuchen Sie es später erneut.`,
      too_many_redirects: () => 'Infomaniak hat diese Anfrage zu oft umgeleitet. Versuchen Sie es später erneut.',
      no_account: () =>
        'Mit diesem Token ist kein Infomaniak-Konto erreichbar; es gibt nichts anzuzeigen. Prüfen Sie das Token.',
      no_archive: () =>
        'Infomaniak hat kein Archiv zum Herunterladen geliefert. Versuchen Sie es erneut oder laden Sie die Dateien einzeln herunter.',
      archive_unreadable: (v) =>
        `Das Archiv von Infomaniak konnte nicht gelesen werden${v.detail ? ` (${v.detail})` : ''}. Versuchen Sie es erneut.`,
      unknown_shape: (v) =>
        v.n > 0
          ? `Infomaniak hat ${v.count} Element(e) in einer Form gesendet, die diese App nicht kennt; nichts wurde stillschweigend ausgelassen, darum wurde abgebrochen. Versuchen Sie es später erneut.`
          : 'Infomaniak hat in einer Form geantwortet, die diese App nicht kennt. Versuchen Sie es später erneut oder aktualisieren Sie die App.',
      wrong_range: () =>
        'Der Server hat einen Teil der Datei gesendet, der nicht verlangt war. Laden Sie die Datei erneut herunter.',
    },
    unavailable: {
      drag_desktop: () =>
        'Ziehen auf den Schreibtisch braucht hier die Desktop-App. Verwenden Sie stattdessen «Speichern unter…».',
      choose_folder: () =>
        'Einen Ordner wählen kann nur die Desktop-App. Starten Sie den Browser-Host stattdessen mit --downloads-dir.',
      demo_missing: () => 'Die Demo ist in diesem Build nicht verfügbar.',
      service_unsupported: () => 'Dieser Dienst kann das noch nicht.',
      not_syncable: () =>
        'Dieses Element kann nicht synchronisiert werden. Wählen Sie ein Laufwerk, einen Ordner, einen Kalender, ein Adressbuch, ein Postfach oder einen Mail-Ordner.',
      kdrive_only: () => 'Versionen und Vorschauen gibt es für kDrive-Dateien. Wählen Sie eine Datei in kDrive.',
      search_scope: () =>
        'Die Suche auf dem Server funktioniert in kDrive-Laufwerken und -Ordnern. Wählen Sie zuerst eines davon.',
      service_off: (v) =>
        `${v.name || 'Dieser Dienst'} ist für dieses Token nicht verfügbar. Unter Verbindungen steht, warum (zum Beispiel eine fehlende Berechtigung).`,
    },
    vault_locked: {
      no_token: () => 'Für diese Verbindung ist kein Token gespeichert. Geben Sie es unter Verbindungen erneut ein.',
      backend_changed: () =>
        'Das Token wurde mit einem anderen Schlüsselbund gespeichert, als diese Sitzung verwendet, und kann nicht gelesen werden. Geben Sie es unter Verbindungen erneut ein; die Einstellungen der Verbindung bleiben erhalten.',
      key_set_aside: (v) =>
        `Der Schlüssel der gespeicherten Tokens war beschädigt und wurde beiseitegelegt${v.path ? ` (als ${v.path})` : ''}. Geben Sie das Token unter Verbindungen erneut ein; die Einstellungen der Verbindung bleiben erhalten.`,
      key_missing: () =>
        'Der Schlüssel der gespeicherten Tokens fehlte; ein neuer wurde erstellt. Geben Sie das Token unter Verbindungen erneut ein; die Einstellungen der Verbindung bleiben erhalten.',
    },
    io: {
      sync_folder_readonly: (v) =>
        `In den Synchronisationsordner ${v.path ? `«${v.path}» ` : ''}kann nicht geschrieben werden. Prüfen Sie seine Berechtigungen und synchronisieren Sie erneut.`,
      sync_folder_not_folder: (v) =>
        `Der Synchronisationsordner ${v.path ? `«${v.path}» ` : ''}ist kein Ordner (an seiner Stelle liegt eine Datei). Verschieben Sie die Datei oder entfernen Sie diese Synchronisation.`,
      folder_missing: (v) =>
        `Der Ordner ${v.path ? `«${v.path}» ` : ''}fehlt. Schliessen Sie das Laufwerk wieder an, auf dem er liegt, oder wählen Sie einen anderen Ordner, und versuchen Sie es erneut.`,
      permission: (v) =>
        `Die App darf dort nicht schreiben${v.detail ? ` (${v.detail})` : ''}. Prüfen Sie die Berechtigungen des Ordners oder wählen Sie einen anderen Ordner.`,
      missing: (v) =>
        `Ein Ordner, in den die App schreibt, fehlt${v.detail ? ` (${v.detail})` : ''}. Prüfen Sie, ob das Laufwerk angeschlossen ist und der Ordner existiert, und versuchen Sie es erneut.`,
      read_only: () =>
        'Das Laufwerk ist schreibgeschützt. Wählen Sie einen Ordner auf einem anderen Laufwerk oder heben Sie den Schreibschutz auf.',
      outside_folder: () =>
        'Schreiben ausserhalb des gewählten Ordners wurde verweigert. Dort wurde nichts geschrieben.',
      part_in_way: (v) =>
        `Eine Datei namens ${q(v.name, 'ohne Namen')} steht im Weg; sie wurde nicht angetastet. Verschieben Sie sie und versuchen Sie es erneut.`,
      appeared: (v) =>
        `${q(v.name)} ist während des Downloads aufgetaucht. Versuchen Sie es erneut: Der Download erhält einen freien Namen.`,
      no_free_name: () =>
        'Es liess sich kein freier Name für die Datei finden. Räumen Sie den Ordner auf und versuchen Sie es erneut.',
      not_a_folder: (v) =>
        `${q(v.path)} ist kein Ordner mehr (er wurde ersetzt, vielleicht durch eine Verknüpfung); dort wurde nichts geschrieben. Verschieben Sie ihn und versuchen Sie es erneut.`,
      drag_prepare: (v) =>
        `${q(v.name)} konnte nicht zum Ziehen vorbereitet werden. Versuchen Sie es erneut oder verwenden Sie «Speichern unter…».`,
      trash_failed: (v) =>
        `${q(v.name)} wurde nicht ersetzt: Die Datei liess sich nicht in den Papierkorb verschieben. Die vorhandene Datei ist unverändert; laden Sie erneut herunter und wählen Sie «Beide behalten», oder verschieben Sie die Datei zuerst.`,
    },
    cancelled: {
      no_folder_chosen: () => 'Es wurde kein Ordner gewählt.',
      not_opened: (v) => `${q(v.name)} wurde nicht geöffnet.`,
      sync_stopped: () => 'Die Synchronisation wurde gestoppt.',
    },
    integrity: {
      size_mismatch: () =>
        'Die heruntergeladene Grösse passte nicht zur angekündigten Grösse; die Datei wurde verworfen. Laden Sie sie erneut herunter.',
      changed_on_server: () =>
        'Die Datei hat sich während des Downloads auf dem Server geändert. Laden Sie erneut herunter, um die neue Version zu erhalten.',
      more_data: (v) =>
        `${v.host || 'Der Server'} hat mehr Daten gesendet als angekündigt. Laden Sie die Datei erneut herunter.`,
      smaller: () => 'Die Datei auf dem Server ist kleiner als erwartet. Laden Sie sie erneut herunter.',
      archive_entry: (v) =>
        `${q(v.name)} konnte nicht aus dem Archiv von Infomaniak gelesen werden. Versuchen Sie es erneut oder laden Sie das Element einzeln herunter.`,
    },
    forbidden: {
      foreign_item: () => 'Dieses Element gehört zu keiner Verbindung dieser App.',
    },
    internal: {
      shut_down: () => 'Die App wird beendet. Starten Sie sie erneut und versuchen Sie es dann nochmals.',
    },
    unsafe_redirect: {
      other_address: () =>
        'Infomaniak hat diese Anfrage an eine andere Adresse verwiesen; ihr wurde nicht gefolgt. Versuchen Sie es später erneut.',
    },
  },
};
