export type Decision = { action: 'none' | 'download' | 'skip' | 'refuse'; message?: string };
export function decide(facts: {
  installed: boolean;
  mode: 'install' | 'start';
  env: Record<string, string | undefined>;
}): Decision;
export function downloadFailed(mode: 'install' | 'start'): string;
