import { useTranslation } from 'react-i18next';
import { AddConnectionDialog } from './components/add-connection-dialog';
import { ConnectionsDialog } from './components/connections-dialog';
import { EmptyState } from './components/empty-state';
import { ExistingDialog } from './components/existing-dialog';
import { Header } from './components/header';
import { Notices } from './components/notices';
import { SettingsDialog } from './components/settings-dialog';
import { SourcesPanel } from './components/sources-panel';
import { ContentSplit } from './components/content-split';
import { ShortcutsSheet } from './components/shortcuts-sheet';
import { HostNoteDialog } from './components/host-note';
import { AppBody } from './app-body';
import { useAppStore } from './store/context';

export function App() {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.status);
  const connections = useAppStore((s) => s.connections);
  const dialog = useAppStore((s) => s.dialog);

  if (status === 'no-api') {
    return (
      <main className="center-message">
        <h1>{t('app.title')}</h1>
        <p role="alert">{t('app.noApi')}</p>
      </main>
    );
  }
  return (
    <div className="app">
      <Header />
      <Notices />
      <AppBody>
        {status === 'loading' ? (
          <main className="center-message" aria-busy="true" />
        ) : connections.length === 0 ? (
          <EmptyState />
        ) : (
          <ContentSplit sources={<SourcesPanel />} />
        )}
      </AppBody>
      {dialog?.kind === 'add' && <AddConnectionDialog mode={{ kind: 'add' }} />}
      {dialog?.kind === 'replace' && (
        <AddConnectionDialog mode={{ kind: 'replace', connectionId: dialog.connectionId }} />
      )}
      {dialog?.kind === 'connections' && <ConnectionsDialog />}
      {dialog?.kind === 'settings' && <SettingsDialog />}
      {dialog?.kind === 'shortcuts' && <ShortcutsSheet />}
      <ExistingDialog />
      <HostNoteDialog />
    </div>
  );
}
