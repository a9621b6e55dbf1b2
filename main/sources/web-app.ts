/**
 * "Open in the Infomaniak web app": the page of a node, built here from the node id only.
 *   kDrive drive        https://kdrive.infomaniak.com/app/drive/{driveId}
 *   kDrive file/folder  https://kdrive.infomaniak.com/app/drive/{driveId}/redirect/{fileId}
 *   Calendar, Contacts, Mail (service and everything below): the app's start page (no deep link known)
 * [guess] the kDrive shapes follow Infomaniak's own apps (the iOS app's private share link); see
 * docs/infomaniak-api.md, "Web app links". Connections and accounts have no page.
 */
import { failWith } from '../../shared/model/errors';
import { isWebAppUrl } from '../../shared/model/web-app';
import { parseId, segment } from './ids';

const SERVICE_PAGES = {
  kdrive: 'https://kdrive.infomaniak.com/app/drive',
  calendar: 'https://calendar.infomaniak.com/',
  contacts: 'https://contacts.infomaniak.com/',
  mail: 'https://mail.infomaniak.com/',
} as const;

const numeric = (value: string | null): value is string => value !== null && /^[1-9]\d{0,15}$/u.test(value);

/** The web app URL of a node, or null when it has none (a connection, an account, an error row). */
export function webAppUrlOf(nodeId: string): string | null {
  const parsed = parseId(nodeId);
  if (!parsed?.service) return null;
  const last = parsed.path.at(-1);
  let url: string | null;
  if (parsed.service !== 'kdrive') {
    url = SERVICE_PAGES[parsed.service];
  } else if (!last) {
    url = SERVICE_PAGES.kdrive;
  } else {
    const driveId = segment(parsed, 'drive');
    if (!numeric(driveId)) return null;
    if (last.type === 'drive') url = `${SERVICE_PAGES.kdrive}/${driveId}`;
    else if (last.type === 'f' && numeric(last.value))
      url = `${SERVICE_PAGES.kdrive}/${driveId}/redirect/${last.value}`;
    else url = null;
  }
  return url !== null && isWebAppUrl(url) ? url : null;
}

/** As `webAppUrlOf`, for a node main listed; a clear error otherwise. */
export function webAppUrl(nodeId: string, known: boolean): string {
  if (!known) throw failWith('not_found', 'node_unknown', 'This item is not known. Refresh the tree and try again.');
  const url = webAppUrlOf(nodeId);
  if (!url) throw failWith('not_found', 'no_web_page', 'This item has no page in the Infomaniak web app.');
  return url;
}
