import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/context';

const DEFAULT = { daysBack: 365, daysAhead: 365 };

/** The event window of one calendar (default one year back, one year ahead). */
export function CalendarWindow({ nodeId }: { nodeId: string }) {
  const { t } = useTranslation();
  const settings = useAppStore((s) => s.settings);
  const update = useAppStore((s) => s.updateSettings);
  const list = useAppStore((s) => s.list);
  const current = settings?.calendarWindows[nodeId] ?? DEFAULT;
  const [back, setBack] = useState(String(current.daysBack));
  const [ahead, setAhead] = useState(String(current.daysAhead));
  const valid = [back, ahead].every((v) => /^\d{1,4}$/.test(v) && Number(v) <= 3650);
  return (
    <form
      className="calendar-window"
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid || !settings) return;
        const windows = { ...settings.calendarWindows, [nodeId]: { daysBack: Number(back), daysAhead: Number(ahead) } };
        void update({ calendarWindows: windows }).then(() => list(nodeId));
      }}
    >
      <p className="muted small">{t('sources.calendarWindow', { back: current.daysBack, ahead: current.daysAhead })}</p>
      <label>
        {t('sources.daysBack')}
        <input type="number" min={0} max={3650} value={back} onChange={(e) => setBack(e.target.value)} />
      </label>
      <label>
        {t('sources.daysAhead')}
        <input type="number" min={0} max={3650} value={ahead} onChange={(e) => setAhead(e.target.value)} />
      </label>
      <button type="submit" disabled={!valid}>
        {t('sources.apply')}
      </button>
    </form>
  );
}
