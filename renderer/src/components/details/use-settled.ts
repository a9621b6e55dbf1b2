import { useEffect, useState } from 'react';

/**
 * `value` once it has stayed the same for `ms` (null until then, and while it is null): arrowing
 * through twenty files asks for nothing; resting on one asks once.
 */
export function useSettled(value: string | null, ms: number): string | null {
  const [settled, setSettled] = useState<string | null>(null);
  useEffect(() => {
    if (value === null) return;
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return value !== null && settled === value ? value : null;
}
