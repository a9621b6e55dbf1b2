/** Deutsche Texte der Tastenkürzel-Übersicht und der Hinweise des Browser-Hosts (in de.ts eingefügt). */
import type { Strings } from './en';

export const deHelp: Pick<Strings, 'shortcuts' | 'hostNote'> = {
  hostNote: {
    fileTitle: '«{{name}}» selbst öffnen',
    folderTitle: 'Ordner von «{{name}}» selbst öffnen',
    pageTitle: '«{{name}}» im Browser öffnen',
    fileBody:
      'Der Browser-Host startet keine Programme auf dem Computer, auf dem er läuft (dieser Browser kann auf einem anderen sein). Die Datei liegt hier:',
    folderBody:
      'Der Browser-Host öffnet keine Ordner auf dem Computer, auf dem er läuft (dieser Browser kann auf einem anderen sein). Sie liegt hier:',
    pageBody: 'Öffnen Sie die Seite in einem neuen Tab oder kopieren Sie ihre Adresse:',
    copyPath: 'Pfad kopieren',
    copyLink: 'Link kopieren',
    copied: 'Kopiert.',
    copyFailed: 'Der Browser hat das Kopieren nicht erlaubt: Markieren Sie den Text und kopieren Sie ihn selbst.',
  },
  shortcuts: {
    title: 'Tastenkürzel',
    keys: 'Tasten',
    action: 'Was sie tun',
    or: 'oder',
    groupTree: 'Im Quellen-Baum',
    groupCommands: 'Befehle',
    move: 'Nach oben oder unten; die Auswahl folgt',
    moveFocus: 'Bewegen, ohne die Auswahl zu ändern',
    extend: 'Auswahl erweitern',
    toggle: 'Fokussiertes Element aus- oder abwählen',
    selectFolder: 'Alles im Ordner des fokussierten Elements auswählen',
    expand: 'Ordner öffnen oder schliessen; zum ersten Element oder zum übergeordneten gehen',
    jump: 'Erstes, letztes, Seite hoch, Seite runter',
    typeAhead: 'Zum nächsten Element gehen, dessen Name so beginnt, wie Sie tippen',
    activate: 'Ordner öffnen; Datei herunterladen',
    clearSelection: 'Auswahl aufheben',
    download: 'Auswahl herunterladen (auch einen Ordner)',
    saveTo: 'Speichern unter… in einen Ordner Ihrer Wahl (Desktop-App)',
    refresh: 'Fokussierten Ordner aktualisieren',
    copyPath: 'Pfad des fokussierten Elements kopieren',
    details: 'Details anzeigen',
    find: 'Geladene Elemente filtern',
    contextMenu: 'Kontextmenü öffnen',
    sheet: 'Diese Tastenkürzel anzeigen',
  },
};
