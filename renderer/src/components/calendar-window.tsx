import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/context';
import { NumberField } from './number-field';

const DEFAULT = { daysBack: 365, daysAhead: 365 };
const MAX_DAYS = 3650;

/** The event window of one calendar (default one year back, one year ahead); each field saves on commit. */
export function CalendarWindow({ nodeId }: { nodeId: string }) {
  const { t } = useTranslation();
  const settings = useAppStore((s) => s.settings);
  const update = useAppStore((s) => s.updateSettings);
  const list = useAppStore((s) => s.list);
  const current = settings?.calendarWindows[nodeId] ?? DEFAULT;
  const save = (patch: Partial<typeof DEFAULT>) => {
    if (!settings) return;
    const windows = { ...settings.calendarWindows, [nodeId]: { ...current, ...patch } };
    void update({ calendarWindows: windows }).then(() => list(nodeId));
  };
  return (
    <div className="calendar-window" role="group" aria-labelledby="calendar-window-text">
      <p id="calendar-window-text" className="muted small">
        {t('sources.calendarWindow', { back: current.daysBack, ahead: current.daysAhead })}
      </p>
      <label htmlFor="calendar-days-back">{t('sources.daysBack')}</label>
      {/* Keyed by calendar: a draft typed for one calendar never shows (or saves) for the next. */}
      <NumberField
        key={`${nodeId}-back`}
        id="calendar-days-back"
        value={current.daysBack}
        min={0}
        max={MAX_DAYS}
        onCommit={(daysBack) => save({ daysBack })}
      />
      <label htmlFor="calendar-days-ahead">{t('sources.daysAhead')}</label>
      <NumberField
        key={`${nodeId}-ahead`}
        id="calendar-days-ahead"
        value={current.daysAhead}
        min={0}
        max={MAX_DAYS}
        onCommit={(daysAhead) => save({ daysAhead })}
      />
    </div>
  );
}
