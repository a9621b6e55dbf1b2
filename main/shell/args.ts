/** Command-line flags of the Electron app: --demo, --lang en|de, --downloads-dir DIR, --allow-custom-endpoints. */
export interface ShellArgs {
  demo: boolean;
  lang: 'en' | 'de' | null;
  downloadsDir: string | null;
  /** A packaged build honours INFOMANIAK_*_URL only with this flag. */
  allowCustomEndpoints: boolean;
  /** Sync all pairs (forwarded to a running instance, else headless with exit code 0/1/2). */
  syncNow: boolean;
  /** With --sync-now: the log also on stderr (it always goes to `<user data>/sync-now.log`). */
  verbose: boolean;
}

export function parseShellArgs(argv: readonly string[]): ShellArgs {
  const out: ShellArgs = {
    demo: false,
    lang: null,
    downloadsDir: null,
    allowCustomEndpoints: false,
    syncNow: false,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--demo') out.demo = true;
    else if (flag === '--allow-custom-endpoints') out.allowCustomEndpoints = true;
    else if (flag === '--sync-now') out.syncNow = true;
    else if (flag === '--verbose') out.verbose = true;
    else if (flag === '--lang') {
      const v = value();
      if (v === 'en' || v === 'de') out.lang = v;
    } else if (flag === '--downloads-dir') out.downloadsDir = value() ?? null;
  }
  return out;
}

const ENDPOINT_OVERRIDE = /^INFOMANIAK_(API|CALENDAR|CONTACTS|MAIL|NOTIFY)_URL$/;

/**
 * The environment the services see. A packaged (release) build ignores INFOMANIAK_*_URL unless it
 * was started with --allow-custom-endpoints: a variable planted in a user's session must not
 * redirect stored tokens. Returns the names it dropped, for the log.
 */
export function endpointEnvironment(
  env: Record<string, string | undefined>,
  options: { packaged: boolean; allowCustomEndpoints: boolean },
): { env: Record<string, string | undefined>; ignored: string[] } {
  if (!options.packaged || options.allowCustomEndpoints) return { env: { ...env }, ignored: [] };
  const out: Record<string, string | undefined> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (ENDPOINT_OVERRIDE.test(key) && value) ignored.push(key);
    else out[key] = value;
  }
  return { env: out, ignored };
}
