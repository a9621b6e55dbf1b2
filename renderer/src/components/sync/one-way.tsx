/** What sync does, said where a pair is made and shown: "Cloud → this computer. Changes you make here stay here and are never uploaded." */
import { useTranslation } from 'react-i18next';

export function OneWay({ className = 'sync-oneway' }: { className?: string }) {
  const { t } = useTranslation();
  return <p className={className}>{t('sync.oneWay')}</p>;
}
