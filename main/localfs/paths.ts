/** Small file-system checks shared by the transfer engine. */
import { lstat } from 'node:fs/promises';

/** Whether something (a file, folder or link: never followed) is at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
