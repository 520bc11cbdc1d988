/** Whether a path exists, telling "not there" apart from "cannot be looked at". */
import { stat } from 'node:fs/promises';

/** True when `path` exists; false when it does not; any other error (no access) is thrown. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
