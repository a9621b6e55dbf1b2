/** Command-line flags of the Electron app: --demo, --lang en|de, --downloads-dir DIR. */
export interface ShellArgs {
  demo: boolean;
  lang: 'en' | 'de' | null;
  downloadsDir: string | null;
}

export function parseShellArgs(argv: readonly string[]): ShellArgs {
  const out: ShellArgs = { demo: false, lang: null, downloadsDir: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--demo') out.demo = true;
    else if (flag === '--lang') {
      const v = value();
      if (v === 'en' || v === 'de') out.lang = v;
    } else if (flag === '--downloads-dir') out.downloadsDir = value() ?? null;
  }
  return out;
}
