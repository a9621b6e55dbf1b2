import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { resolveApi } from './api/transport';
import { initI18n } from './i18n';
import { createAppStore } from './store';
import { connectBridge } from './store/bridge';
import { StoreProvider } from './store/context';
import './styles.css';

async function boot(): Promise<void> {
  const store = createAppStore();
  const source = resolveApi();
  const root = createRoot(document.getElementById('root')!);
  const render = () =>
    root.render(
      <StrictMode>
        <StoreProvider store={store}>
          <App />
        </StoreProvider>
      </StrictMode>,
    );

  if (source.kind === 'none') {
    await initI18n(navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en');
    store.setState({ status: 'no-api' });
    render();
    return;
  }
  const api = source.kind === 'electron' ? source.api : source.connection.api;
  if (source.kind === 'host')
    source.connection.onStatus((s) => s === 'closed' && store.getState().setStatus('disconnected'));
  connectBridge(api, store);
  const info = await api.appInfo();
  await initI18n(info.ok ? info.value.language : 'en');
  render();
  await store.getState().init(api);
}

void boot();
