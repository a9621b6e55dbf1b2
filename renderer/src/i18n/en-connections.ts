/** English UI text of the Connections dialog and of adding a connection (spread into en.ts). */
export const enConnections = {
  connections: {
    title: 'Connections',
    manage: 'Connections',
    add: 'Add connection',
    active: 'Active',
    needsAttention: 'Needs attention',
    demo: 'Demo',
    replaceToken: 'Replace token',
    remove: 'Remove',
    removeConfirm:
      'Remove the connection "{{label}}"? Its stored token is deleted. Files you downloaded stay where they are.',
    scopes: 'Scopes',
    accounts: 'Accounts',
    none: 'No connections yet.',
    close: 'Close',
    services: 'Services',
    unavailable: 'Not available',
    // Why a service is not available (its reasonCode; main's English reason shows in English only).
    reason: {
      mail_blocked: 'Mail is not available for this token. Mail needs a token with the scope workspace:mail.',
      scope_missing: 'This token lacks the scope {{scope}}. Create a new token with it.',
      probe_failed: 'It could not be checked whether this service is available. Refresh later.',
    },
    endpointsHint:
      'The app now talks to other Infomaniak addresses than this connection was set up for. Its token is sent nowhere until you confirm. Confirm only if you started the app with these addresses on purpose.',
    confirmEndpoints: 'Use the new addresses',
  },
  add: {
    title: 'Connect Infomaniak',
    replaceTitle: 'Replace the token of "{{label}}"',
    tokenLabel: 'Personal Access Token',
    showToken: 'Show token',
    problem: {
      empty: 'Paste your token into this field.',
      tooShort: 'The token is too short. Copy the whole token from the Infomaniak Manager.',
      tooLong: 'The token is too long. Copy only the token from the Infomaniak Manager.',
      badChars: 'The token contains spaces or characters a token never has. Copy it again.',
      rejected: 'This does not look like a token. Copy it again from the Infomaniak Manager.',
      unreachable:
        "Can't reach Infomaniak, so the token was not checked. Check the internet connection (and a proxy, if you use one), then try again.",
    },
    tokenHelp:
      'Create a token with the scopes accounts, drive, workspace:calendar, workspace:contact and workspace:mail. Infomaniak shows it only once.',
    openTokenPage: 'Open the token page of the Infomaniak Manager',
    connect: 'Connect',
    cancel: 'Cancel',
    checking: 'Checking the token…',
    weakStorageTitle: 'No keyring on this computer',
    weakStorageBody:
      'The token can only be obfuscated on disk, not encrypted: anyone who can read your files could use it. Install or unlock a keyring (GNOME Keyring, KWallet) for real encryption.',
    weakStorageAgree: 'Store the token anyway',
    hostVault: "Browser host: the token is kept encrypted in the host's data folder, with its key beside it.",
    steps: {
      accounts: 'Accounts (scope accounts)',
      label: 'Calendar or contacts (scope workspace:calendar or workspace:contact)',
      drive: 'kDrive (scope drive)',
      mail: 'Mail (optional)',
    },
    state: {
      pending: 'Waiting',
      running: 'Checking',
      ok: 'OK',
      failed: 'Failed',
      skipped: 'Not available',
      notRun: 'Not checked',
    },
  },
};
