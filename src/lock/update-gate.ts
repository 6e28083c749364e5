/**
 * While a `guard update` is open (running, or interrupted and not finished),
 * nothing but that update changes the lock, the merge or the extensions:
 * merge, lock, unlock, settle, refresh, unmerge, extend and a second update
 * refuse at once (exit 3, nothing changed) and name the running update or
 * `guard update --finish`, instead of queueing on the guard's lock. The
 * update's own calls pass: the record names this process (an update, or a
 * `--finish` that took the record over).
 */
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { readUpdateRecord, type RecordPaths, type UpdateInProgress } from '../system/update-record.js';

/** Pure: the refusal of `doing` ("not locking") during that update. */
export function updateOpenError(update: UpdateInProgress, doing: string): GuardError {
  const { record } = update;
  if (update.running) {
    return new GuardError(`${doing}: guard update (pid ${record.pid}, since ${record.started}) is changing the base system (${record.phase})`, {
      exitCode: ExitCode.Refused,
      hints: ['  nothing was changed; let it finish, then try again (see: guard status)'],
    });
  }
  return new GuardError(`${doing}: a guard update (pid ${record.pid}, started ${record.started}) was interrupted while ${record.phase}`, {
    exitCode: ExitCode.Refused,
    hints: ['  nothing was changed; finish it first: guard update --finish'],
  });
}

/** The update in the way of this process, if any. Throws (state unknown) when the record cannot be read. */
export function openUpdate(paths: RecordPaths = {}): UpdateInProgress | undefined {
  let update: UpdateInProgress | undefined;
  try {
    update = readUpdateRecord(paths);
  } catch (error) {
    throw new GuardError(`cannot tell whether a guard update is in progress: ${describeError(error)}`, { exitCode: ExitCode.StateUnknown, hints: ['  nothing was changed; see: guard doctor'] });
  }
  return update && !(update.running && update.record.pid === process.pid) ? update : undefined;
}

/** Refuses `doing` while an update other than this process's own is open. */
export function refuseDuringUpdate(doing: string): void {
  const update = openUpdate();
  if (update) throw updateOpenError(update, doing);
}
