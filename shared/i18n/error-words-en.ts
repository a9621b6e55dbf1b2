/** Errors in English: what happened and what to do (the type and the rules: error-words.ts). */
import type { ErrorWordsTable } from './error-words';

const SCOPES = 'accounts, drive, workspace:calendar, workspace:contact and workspace:mail';
/** A name in quotes, or the words for it when there is none. */
const q = (name: string, none = 'The item') => (name ? `“${name}”` : none);

export const errorWordsEn: ErrorWordsTable = {
  codes: {
    validation: () => 'That input was not accepted. Check the value and try again.',
    untrusted_sender: () => 'This request did not come from the app, so it was refused.',
    not_found: (v) =>
      `This item no longer exists${v.host ? ` on ${v.host}` : ''}. Refresh the folder it was in and try again.`,
    internal: () => 'Something went wrong inside the app. The details were written to the log; try again.',
    token_invalid: () =>
      'Infomaniak refused the token: it is mistyped, revoked or expired. Replace it with a new one in Connections.',
    scope_missing: (v) => `The token lacks the scope ${v.scope}. Create a new token with the scopes ${SCOPES}.`,
    forbidden: (v) =>
      `${v.host || 'Infomaniak'} denied access to this item. Check in the Infomaniak web app that your account may open it.`,
    rate_limited: (v) =>
      `Infomaniak is limiting requests. Try again ${v.seconds ? `in ${v.seconds} s` : 'in a minute'}.`,
    maintenance: () => 'This drive is in maintenance. Try again later.',
    api_error: (v) => `Infomaniak answered with an error${v.code}. Try again later.`,
    network: (v) =>
      `Can't reach Infomaniak${v.detail ? ` (${v.detail})` : ''}. Check your internet connection (and a proxy, if you use one), then try again.`,
    timeout: (v) => `${v.host || 'Infomaniak'} took too long to answer. Try again.`,
    unsafe_redirect: () => 'Infomaniak redirected to an unsafe address, so the request was stopped. Try again later.',
    unavailable: () => 'This is not available here.',
    weak_storage: () =>
      'This computer has no keyring, so the token could only be obfuscated. Agree to store it anyway, or set up a keyring (GNOME Keyring or KWallet) and try again.',
    vault_locked: () =>
      "The stored token can no longer be decrypted (the keyring changed). Enter the token again in Connections; the connection's settings are kept.",
    endpoints_changed: (v) =>
      `This connection was set up for other Infomaniak addresses than the app uses now${v.list ? ` (${v.list})` : ''}. Nothing is sent with its token until you confirm the new addresses in Connections.`,
    disk_full: () => 'The disk is full. Free some space, then retry: the download resumes where it stopped.',
    io: (v) =>
      `A file could not be read or written${v.detail ? ` (${v.detail})` : ''}. Check that the folder exists and that you may write to it, then try again.`,
    cancelled: () => 'Cancelled.',
    integrity: () =>
      'The downloaded file did not match what Infomaniak announced, so it was discarded. Retry the download.',
    unsafe_path: (v) =>
      `${q(v.path, 'A folder on the way')} is a link or a junction, so nothing was written through it. Move it away (or put the real folder back), then try again.`,
    unsafe_file: (v) =>
      `${q(v.name, 'This file')} can run programs or change settings when it is opened, so it is not opened from here. If you trust it, open it yourself from its folder (Show in folder).`,
  },
  scopeUnnamed: () => `The token lacks a scope. Create a new token with the scopes ${SCOPES}.`,
  reasons: {
    validation: {
      unknown_channel: () => 'The app asked for something this version does not know. Restart the app.',
      too_many_pairs: (v) => `At most ${v.limit} sync pairs are possible. Remove one you no longer need first.`,
      pair_kind: () =>
        'Only drives, folders, calendars, address books, mailboxes and mail folders can be kept in sync. Select one of these.',
      pair_vault: (v) => `${q(v.name)} is a secure vault: it cannot be kept in sync. Open it in kDrive.`,
      pair_taken: (v) => `This is already kept in sync by the pair ${q(v.name)} (${v.path}).`,
      pair_inside: (v) =>
        `This lies inside ${q(v.name)}, which is already kept in sync (${v.path}). Choose a folder outside it, or remove that pair first.`,
      pair_holds: (v) =>
        `This holds ${q(v.name)}, which is already kept in sync (${v.path}). Remove that pair first, or choose another folder.`,
      folder_overlap: (v) =>
        `This folder overlaps the folder of the sync pair “${v.name}” (${v.path}). Choose a folder outside it.`,
      layout: (v) => `This item can be kept as: ${v.list}. Choose one of these.`,
      drag_files_only: () => 'Only files can be dragged out of the browser. Use Save to… for the rest.',
      not_draggable: (v) => `${q(v.name)} cannot be dragged out. Use Save to… instead.`,
      nothing_to_drag: () => 'Nothing to drag. Select a file first.',
      downloads_dir_relative: () => 'The download folder must be a full path. Choose it again in Settings.',
    },
    not_found: {
      connection_gone: () => 'This connection no longer exists. Add it again in Connections.',
      node_unknown: () => 'This item is not known (any more). Open its folder again or refresh it.',
      pair_gone: () => 'This sync pair no longer exists. Create it again from its folder.',
      transfer_gone: () => 'This download is no longer in the list.',
      file_not_there: () =>
        'The downloaded file is not there (yet). It may have been moved or deleted; download it again.',
      no_web_page: () => 'This item has no page in the Infomaniak web app.',
      not_downloadable: () => 'This item cannot be downloaded. Select a file or folder instead.',
      not_syncable: () =>
        'This item cannot be kept in sync. Select a drive, folder, calendar, address book, mailbox or mail folder.',
      no_children: () => 'This item has nothing inside it.',
      invalid_id: () => 'This item’s address is not valid any more. Refresh its folder and try again.',
      contact_gone: () => 'This contact no longer exists. Refresh the address book.',
      book_gone: () => 'This address book no longer exists. Refresh Contacts.',
      version_unknown: () => 'This version is not known (any more). Show the versions again.',
    },
    network: {
      proxy_auth: (v) =>
        `The proxy wants a password to reach ${v.host || 'Infomaniak'}. Set the proxy's user name and password in the system settings (or HTTPS_PROXY), then try again.`,
      proxy_refused: (v) =>
        `The proxy refused the connection to ${v.host || 'Infomaniak'}${v.detail ? ` (${v.detail})` : ''}. Check the proxy settings, then try again.`,
      certificate: (v) =>
        `The certificate of ${v.host || 'the server'} is not trusted${v.detail ? ` (${v.detail})` : ''}. If your network inspects HTTPS, add its certificate (NODE_EXTRA_CA_CERTS); otherwise try again later.`,
      lost: (v) =>
        `The connection to Infomaniak was lost${v.detail ? ` (${v.detail})` : ''}. Check your internet connection, then try again.`,
      not_checked: () =>
        "Can't reach Infomaniak, so the token was not checked. Check your internet connection (and a proxy, if you use one), then try again.",
    },
    timeout: {},
    api_error: {
      unreadable: (v) =>
        `${v.host || 'Infomaniak'} sent an answer the app could not read${v.detail ? ` (${v.detail})` : ''}. Try again later.`,
      too_many_redirects: () => 'Infomaniak redirected this request too many times. Try again later.',
      no_account: () => 'This token reaches no Infomaniak account, so there is nothing to show. Check the token.',
      no_archive: () =>
        'Infomaniak did not return an archive to download. Try again, or download the files one by one.',
      archive_unreadable: (v) =>
        `The archive from Infomaniak could not be read${v.detail ? ` (${v.detail})` : ''}. Try again.`,
      unknown_shape: (v) =>
        v.n > 0
          ? `Infomaniak sent ${v.count} item(s) in a form this app does not know; nothing was left out silently, so this stopped. Try again later.`
          : 'Infomaniak answered in a form this app does not know. Try again later, or update the app.',
      wrong_range: () => 'The server answered with a part of the file that was not asked for. Retry the download.',
    },
    unavailable: {
      drag_desktop: () => 'Dragging to the desktop needs the desktop app here. Use Save to… instead.',
      choose_folder: () =>
        'Choosing a folder needs the desktop app. Start the browser host with --downloads-dir instead.',
      demo_missing: () => 'The demo is not available in this build.',
      service_unsupported: () => 'This service cannot do that yet.',
      not_syncable: () =>
        'This item cannot be kept in sync. Select a drive, folder, calendar, address book, mailbox or mail folder.',
      kdrive_only: () => 'Versions and previews are there for kDrive files. Select a file in kDrive.',
      search_scope: () => 'Searching on the server works in kDrive drives and folders. Select one first.',
      service_off: (v) =>
        `${v.name || 'This service'} is not available for this token. Connections says why (a missing scope, for example).`,
    },
    vault_locked: {
      no_token: () => 'No token is stored for this connection. Enter it again in Connections.',
      backend_changed: () =>
        "The token was stored with another keyring than this session uses, so it cannot be read. Enter the token again in Connections; the connection's settings are kept.",
      key_set_aside: (v) =>
        `The key of the stored tokens was damaged; it was set aside${v.path ? ` as ${v.path}` : ''}. Enter the token again in Connections; the connection's settings are kept.`,
      key_missing: () =>
        "The key of the stored tokens was missing, so a new one was made. Enter the token again in Connections; the connection's settings are kept.",
    },
    io: {
      sync_folder_readonly: (v) =>
        `The sync folder ${v.path ? `“${v.path}” ` : ''}cannot be written to. Check its permissions, then sync again.`,
      sync_folder_not_folder: (v) =>
        `The sync folder ${v.path ? `“${v.path}” ` : ''}is not a folder (a file is in its place). Move the file away, or remove this pair.`,
      folder_missing: (v) =>
        `The folder ${v.path ? `“${v.path}” ` : ''}is missing. Reconnect the disk it is on, or choose another folder, then try again.`,
      permission: (v) =>
        `The app may not write there${v.detail ? ` (${v.detail})` : ''}. Check the folder's permissions, or choose another folder.`,
      missing: (v) =>
        `A folder the app writes to is missing${v.detail ? ` (${v.detail})` : ''}. Check that the disk is connected and the folder exists, then try again.`,
      read_only: () => 'The disk is read-only. Choose a folder on another disk, or make it writable.',
      outside_folder: () => 'Refused to write outside the chosen folder. Nothing was written there.',
      part_in_way: (v) => `A file named ${q(v.name)} is in the way; it was left untouched. Move it away, then retry.`,
      appeared: (v) => `${q(v.name)} appeared while downloading. Retry: the download gets a free name.`,
      no_free_name: () => 'Could not find a free name for the file. Tidy up the folder, then retry.',
      not_a_folder: (v) =>
        `${q(v.path)} is no longer a folder (it was replaced, perhaps by a link); nothing was written there. Move it away, then retry.`,
      drag_prepare: (v) => `${q(v.name)} could not be prepared for dragging. Try again, or use Save to….`,
      trash_failed: (v) =>
        `${q(v.name)} was not replaced: it could not be moved to the trash. The existing file is untouched; download it again and choose Keep both, or move the file away first.`,
    },
    cancelled: {
      no_folder_chosen: () => 'No folder was chosen.',
      not_opened: (v) => `${q(v.name)} was not opened.`,
      sync_stopped: () => 'The sync was stopped.',
    },
    integrity: {
      size_mismatch: () =>
        'The downloaded size did not match the size Infomaniak announced, so the file was discarded. Retry the download.',
      changed_on_server: () => 'The file changed on the server during the download. Retry to get the new version.',
      more_data: (v) => `${v.host || 'The server'} sent more data than announced. Retry the download.`,
      smaller: () => 'The file on the server is smaller than expected. Retry the download.',
      archive_entry: (v) =>
        `${q(v.name)} could not be read from the archive from Infomaniak. Retry, or download it on its own.`,
    },
    forbidden: {
      foreign_item: () => 'This item does not belong to a connection of this app.',
    },
    internal: {
      shut_down: () => 'The app is shutting down. Start it again, then retry.',
    },
    unsafe_redirect: {
      other_address: () => 'Infomaniak pointed this request to another address; it was not followed. Try again later.',
    },
  },
};
