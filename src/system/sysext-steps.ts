/**
 * systemd-sysext and the mount steps of pacman's view (src/system/view.ts)
 * around it, run as one sh process with fixed text and every path as an
 * argument: take the old view off DBPath, run `systemd-sysext VERB`, put the
 * new view on, delete unused view layers in the background. Each step is
 * optional.
 *
 * Why one process: starting a process from Node costs about 6 ms in the
 * parent alone and 11-16 ms until a mount(8) has run (measured in the
 * testbed), more than the mount itself; a merge that showed pacman its
 * packages paid one more start than the merge. Here it pays none.
 *
 * The new view goes on only if systemd-sysext merged every extension whose
 * packages the layer holds (its marker files, <hierarchy>/.systemd-sysext/
 * extensions, list what it merged): the layer is built before the merge, for
 * what guard expects to be merged, and pacman must never see a package whose
 * files are not there. Otherwise the script leaves the view off and the
 * caller builds it from what was merged (showView reads the mount table after
 * this in every case).
 *
 * Once started, the steps run to the end even if guard dies: SIGPIPE is
 * ignored (for systemd-sysext too, which inherits that), so a killed guard's
 * closed pipe costs systemd-sysext its messages, never a merge cut short.
 * Every step leaves a state the next guard command repairs either way.
 *
 * Exit statuses the caller tells apart: 120 systemd-sysext is not installed,
 * 121 an old view would not unmount
 * (nothing else ran), 122 systemd-sysext failed (its own message on stderr),
 * 123 the new view would not mount.
 */
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { VIEW_SOURCE } from './db-lock.js';
import { ToolError, runTool } from './run-tool.js';

export type SysextVerb = 'merge' | 'unmerge' | 'refresh';

/** systemd-sysext for /usr and /opt, systemd-confext for /etc: the same verbs, kept apart. */
export type SysextTool = 'systemd-sysext' | 'systemd-confext';

export interface ViewToMount {
  /** The layer (a directory holding local/NAME-VERSION entries) to put over DBPath. */
  readonly layer: string;
  /** Mount it only if every one of these extensions is listed in one of the marker files. */
  readonly expect?: { readonly extensions: readonly string[]; readonly markers: readonly string[] };
}

export interface SysextSteps {
  /** pacman's DBPath, under the lock: needed to hide or show the view. */
  readonly dbPath?: string;
  /** First: unmount this many views, the ones on top of DBPath (0 or unset: none). */
  readonly hideView?: number;
  /** Then: systemd-sysext VERB; its output is returned. */
  readonly verb?: SysextVerb;
  /** The tool that runs VERB (default systemd-sysext). */
  readonly tool?: SysextTool;
  /** Its one option, if any: `--mutable=MODE` to keep the mode in force. */
  readonly option?: string;
  /** Then: mount this view over DBPath. */
  readonly showView?: ViewToMount;
  /** Last, in the background and detached: delete these view layers. */
  readonly unusedLayers?: readonly string[];
}

const NOT_INSTALLED = 120;
const UMOUNT_FAILED = 121;
const SYSEXT_FAILED = 122;
const MOUNT_FAILED = 123;

/**
 * The script. Arguments: DBPath; how many views to unmount first; the tool
 * (systemd-sysext or systemd-confext); the verb or ''; its option or ''; the
 * layer or ''; N and N marker files; M and M extension names;
 * then the layers to delete. The marker files are read with sh's builtins
 * only (read, case), so checking what systemd-sysext merged starts no
 * process either.
 */
const STEPS_SCRIPT = `set -u
trap '' PIPE
nl='
'
db=$1 hide=$2 tool=$3 verb=$4 option=$5 layer=$6 markers=$7
shift 7
while [ "$hide" -gt 0 ]; do umount "$db" || exit ${UMOUNT_FAILED}; hide=$((hide - 1)); done
if [ -n "$verb" ]; then
  command -v "$tool" >/dev/null || exit ${NOT_INSTALLED}
  if [ -n "$option" ]; then "$tool" "$verb" "$option" || exit ${SYSEXT_FAILED}
  else "$tool" "$verb" || exit ${SYSEXT_FAILED}; fi
fi
merged=$nl
while [ "$markers" -gt 0 ]; do
  if [ -r "$1" ]; then
    while IFS= read -r name || [ -n "$name" ]; do merged="$merged$name$nl"; done < "$1"
  fi
  shift
  markers=$((markers - 1))
done
expected=$1
shift
while [ "$expected" -gt 0 ]; do
  case $merged in *"$nl$1$nl"*) ;; *) layer='' ;; esac
  shift
  expected=$((expected - 1))
done
if [ -n "$layer" ]; then
  mount -t overlay ${VIEW_SOURCE} -o "ro,nosuid,nodev,noexec,lowerdir=$layer:$db" "$db" || exit ${MOUNT_FAILED}
fi
if [ $# -gt 0 ]; then rm -rf --one-file-system -- "$@" </dev/null >/dev/null 2>&1 & fi
exit 0`;

/** Runs the steps; returns systemd-sysext's output (stdout and stderr), empty without a verb. */
export async function runSysextSteps(steps: SysextSteps): Promise<string> {
  if ((steps.hideView || steps.showView) && !steps.dbPath) throw new GuardError('internal error: the view\'s mount steps need DBPath', { exitCode: ExitCode.Failure });
  const markers = steps.showView?.expect?.markers ?? [];
  const expected = steps.showView?.expect?.extensions ?? [];
  const args = [
    '-c', STEPS_SCRIPT, 'pacman-guard-sysext',
    steps.dbPath ?? '', String(steps.hideView ?? 0), steps.tool ?? 'systemd-sysext', steps.verb ?? '', steps.option ?? '', steps.showView?.layer ?? '',
    String(markers.length), ...markers,
    String(expected.length), ...expected,
    ...(steps.unusedLayers ?? []),
  ];
  try {
    const { stdout, stderr } = await runTool('sh', args, { timeoutMs: 120_000 });
    return [stdout.trim(), stderr.trim()].filter(Boolean).join('\n');
  } catch (error) {
    throw stepError(steps, error);
  }
}

function stepError(steps: SysextSteps, error: unknown): GuardError {
  const said = error instanceof ToolError ? error.stderr.trim() : '';
  const why = said || describeError(error);
  const code = error instanceof ToolError ? error.code : undefined;
  const tool = steps.tool ?? 'systemd-sysext';
  const failed =
    code === UMOUNT_FAILED ? `umount ${steps.dbPath}`
    : code === SYSEXT_FAILED ? `${tool} ${steps.verb}${steps.option ? ` ${steps.option}` : ''}`
    : code === MOUNT_FAILED ? `mount -t overlay ${VIEW_SOURCE} … ${steps.dbPath}`
    : undefined;
  if (code === NOT_INSTALLED) return new GuardError(`${tool} is not installed`, { exitCode: ExitCode.Failure, cause: error });
  if (code === 'ENOENT') return new GuardError('sh is not installed', { exitCode: ExitCode.Failure, cause: error });
  return new GuardError(`${failed ?? [steps.hideView ? `umount ${steps.dbPath}` : '', steps.verb ? `${tool} ${steps.verb}` : '', steps.showView ? `mount -t overlay ${VIEW_SOURCE} … ${steps.dbPath}` : ''].filter(Boolean).join(', then ')} failed: ${why}`, { exitCode: ExitCode.Failure, cause: error });
}
