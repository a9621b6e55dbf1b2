import { useTranslation } from 'react-i18next';
import { errorText, noticeText } from '../i18n';
import { useAppStore } from '../store/context';

export function Notices() {
  const { t } = useTranslation();
  const notices = useAppStore((s) => s.notices);
  const status = useAppStore((s) => s.status);
  const actionError = useAppStore((s) => s.actionError);
  const dismissNotice = useAppStore((s) => s.dismissNotice);
  const dismissActionError = useAppStore((s) => s.dismissActionError);
  if (notices.length === 0 && !actionError && status !== 'disconnected') return null;
  return (
    <div className="notices">
      {status === 'disconnected' && (
        <div className="notice notice-error" role="alert">
          {t('app.disconnected')}
        </div>
      )}
      {actionError && (
        <div className="notice notice-error" role="alert">
          <span>{errorText(actionError)}</span>
          <button type="button" onClick={dismissActionError}>
            {t('app.dismiss')}
          </button>
        </div>
      )}
      {notices.map((n, i) => (
        <div key={`${n.code}-${i}`} className={`notice notice-${n.level}`} role="status">
          <span>{noticeText(n)}</span>
          <button type="button" onClick={() => dismissNotice(i)}>
            {t('app.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
