import { useTranslation } from 'react-i18next';
import { BANDWIDTH_MBPS } from '../../../shared/model/settings';
import type { LanguageSetting, Settings } from '../../../shared/model/settings';
import { useAppStore } from '../store/context';
import { Modal } from './modal';
import { NumberField } from './number-field';

type Update = (patch: Partial<Settings>) => Promise<unknown>;

type Flag = 'syncKeepInTray' | 'syncNotify' | 'syncScheduled' | 'bandwidthLimit';

/** A checkbox for one on/off setting, labelled by its `settings.<name>` text. */
function Check({ settings, update, name }: { settings: Settings; update: Update; name: Flag }) {
  const { t } = useTranslation();
  return (
    <label>
      <input type="checkbox" checked={settings[name]} onChange={(e) => void update({ [name]: e.target.checked })} />{' '}
      {t(`settings.${name}`)}
    </label>
  );
}

/**
 * The sync part of the settings: tray, notifications, scheduled runs, the mass-delete guard's limits, as one labelled group (a
 * fieldset with its legend, one option a line). The tray and its notifications only where the shell
 * has a tray (not the browser host: 23.8).
 */
function SyncSettings({ settings, update, tray }: { settings: Settings; update: Update; tray: boolean }) {
  const { t } = useTranslation();
  return (
    <fieldset className="settings-sync">
      <legend>{t('settings.syncGroup')}</legend>
      {tray && <Check settings={settings} update={update} name="syncKeepInTray" />}
      {tray && <Check settings={settings} update={update} name="syncNotify" />}
      <Check settings={settings} update={update} name="syncScheduled" />
      {settings.syncScheduled && (
        <div className="inline">
          <label htmlFor="set-sync-every">{t('settings.syncEveryMinutes')}</label>
          <NumberField
            id="set-sync-every"
            value={settings.syncEveryMinutes}
            min={5}
            max={1440}
            onCommit={(syncEveryMinutes) => void update({ syncEveryMinutes })}
          />
        </div>
      )}
      <div className="inline">
        <label htmlFor="set-sync-max-delete">{t('settings.syncMaxDeleteFiles')}</label>
        <NumberField
          id="set-sync-max-delete"
          value={settings.syncMaxDeleteFiles}
          min={1}
          max={1_000_000}
          onCommit={(syncMaxDeleteFiles) => void update({ syncMaxDeleteFiles })}
        />
      </div>
      <div className="inline">
        <label htmlFor="set-sync-max-delete-percent">{t('settings.syncMaxDeletePercent')}</label>
        <NumberField
          id="set-sync-max-delete-percent"
          value={settings.syncMaxDeletePercent}
          min={1}
          max={100}
          onCommit={(syncMaxDeletePercent) => void update({ syncMaxDeletePercent })}
        />
      </div>
    </fieldset>
  );
}

/** One bandwidth limit for downloads, sync and drag-out staging together (off by default). */
function BandwidthSettings({ settings, update }: { settings: Settings; update: Update }) {
  const { t } = useTranslation();
  return (
    <div className="settings-bandwidth">
      <Check settings={settings} update={update} name="bandwidthLimit" />
      {settings.bandwidthLimit && (
        <div className="inline">
          <label htmlFor="set-bandwidth">{t('settings.bandwidthMBps')}</label>
          <NumberField
            id="set-bandwidth"
            value={settings.bandwidthMBps}
            min={BANDWIDTH_MBPS.min}
            max={BANDWIDTH_MBPS.max}
            decimal
            onCommit={(bandwidthMBps) => void update({ bandwidthMBps })}
          />
        </div>
      )}
    </div>
  );
}

/** How a mail folder or mailbox downloads: `.mbox` files or folders of `.eml` files (a row of the grid). */
function MailFolderFormat({ settings, update }: { settings: Settings; update: Update }) {
  const { t } = useTranslation();
  return (
    <>
      <label htmlFor="set-mail-folders">{t('settings.mailFolders')}</label>
      <select
        id="set-mail-folders"
        value={settings.mailFolderFormat}
        onChange={(e) => void update({ mailFolderFormat: e.target.value as 'mbox' | 'eml' })}
      >
        <option value="mbox">{t('settings.mailFoldersMbox')}</option>
        <option value="eml">{t('settings.mailFoldersEml')}</option>
      </select>
    </>
  );
}

export function SettingsDialog() {
  const { t } = useTranslation();
  const settings = useAppStore((s) => s.settings);
  const info = useAppStore((s) => s.info);
  const update = useAppStore((s) => s.updateSettings);
  const chooseDir = useAppStore((s) => s.chooseDownloadsDir);
  const openDialog = useAppStore((s) => s.openDialog);
  if (!settings) return null;
  return (
    <Modal title={t('settings.title')} onClose={() => openDialog(null)} className="settings-dialog">
      <div className="form-grid">
        <label htmlFor="set-language">{t('app.language')}</label>
        <select
          id="set-language"
          value={settings.language}
          onChange={(e) => void update({ language: e.target.value as LanguageSetting })}
        >
          <option value="system">
            {t('app.languageSystemIs', { language: info?.language === 'de' ? 'Deutsch' : 'English' })}
          </option>
          <option value="en">English</option>
          <option value="de">Deutsch</option>
        </select>

        <span id="set-dir-label">{t('settings.downloadsDir')}</span>
        <div className="inline" aria-labelledby="set-dir-label" role="group">
          <code>{info?.downloadsDir}</code>
          {info?.capabilities.chooseFolder && (
            <button type="button" onClick={() => void chooseDir()}>
              {t('settings.choose')}
            </button>
          )}
        </div>

        <label htmlFor="set-concurrency">{t('settings.concurrency')}</label>
        <NumberField
          id="set-concurrency"
          value={settings.concurrency}
          min={1}
          max={8}
          onCommit={(concurrency) => void update({ concurrency })}
        />

        <label htmlFor="set-folder-mode">{t('settings.folderMode')}</label>
        <select
          id="set-folder-mode"
          value={settings.folderMode}
          onChange={(e) => void update({ folderMode: e.target.value as 'files' | 'zip' })}
        >
          <option value="files">{t('settings.folderFiles')}</option>
          <option value="zip">{t('settings.folderZip')}</option>
        </select>

        <label htmlFor="set-vcard">{t('settings.vcard')}</label>
        <select
          id="set-vcard"
          value={settings.vcardVersion}
          onChange={(e) => void update({ vcardVersion: e.target.value as '3.0' | '4.0' })}
        >
          <option value="3.0">vCard 3.0</option>
          <option value="4.0">vCard 4.0</option>
        </select>

        <MailFolderFormat settings={settings} update={update} />
      </div>
      <BandwidthSettings settings={settings} update={update} />
      <SyncSettings settings={settings} update={update} tray={info?.capabilities.tray ?? false} />
      <div className="dialog-actions">
        <button type="button" onClick={() => openDialog(null)}>
          {t('settings.close')}
        </button>
      </div>
    </Modal>
  );
}
