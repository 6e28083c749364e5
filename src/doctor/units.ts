/**
 * The units that merge extensions, as systemd has them (`systemctl cat`: the
 * unit file and every drop-in, in systemd's order), checked for the guard's
 * lock before and settle after every way they merge. Pure: from the text of
 * `systemctl cat`. Which units, and why: docs/merge-paths.md.
 */

/** Units that merge extensions, or start a service that does; a unit this systemd does not have is skipped. */
export const MERGING_UNITS = [
  'systemd-sysext.service',
  'systemd-confext.service',
  'systemd-sysext.socket',
  'systemd-confext.socket',
  'systemd-sysext@.service',
  'systemd-confext@.service',
  'systemd-sysupdate-notify-sysext.socket',
  'systemd-sysupdate-notify-sysext@.service',
] as const;

const EXEC_KEYS = ['ExecStartPre', 'ExecStart', 'ExecStartPost', 'ExecReload', 'ExecStop', 'ExecStopPost'] as const;
type ExecKey = (typeof EXEC_KEYS)[number];

export interface UnitText {
  /** Exec lines in effect, after resets (`ExecReload=`), per key. */
  readonly exec: Readonly<Record<ExecKey, readonly string[]>>;
  /** Other [Service] and [Socket] settings, the last assignment winning. */
  readonly settings: Readonly<Record<string, string>>;
  /** [Unit] Wants=, Requires= and After=: the units named, every assignment adding (an empty one resets). */
  readonly wants: readonly string[];
  readonly after: readonly string[];
}

/** [Unit] keys that pull another unit in when this one starts. */
const PULLING = ['Wants', 'Requires', 'Upholds'];

/** Pure: `systemctl cat UNIT` read as systemd reads it: later files add Exec lines; an empty assignment resets the list. */
export function parseUnitText(text: string): UnitText {
  const exec = Object.fromEntries(EXEC_KEYS.map((key) => [key, [] as string[]])) as Record<ExecKey, string[]>;
  const settings: Record<string, string> = {};
  const lists: Record<'wants' | 'after', string[]> = { wants: [], after: [] };
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      section = line;
      continue;
    }
    const equals = line.indexOf('=');
    if (equals === -1) continue;
    const key = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    if (section === '[Unit]') {
      const list = PULLING.includes(key) ? 'wants' : key === 'After' ? 'after' : undefined;
      if (list) lists[list] = value === '' ? [] : [...lists[list], ...value.split(/\s+/)];
      continue;
    }
    if (section !== '[Service]' && section !== '[Socket]') continue;
    if ((EXEC_KEYS as readonly string[]).includes(key)) {
      if (value === '') exec[key as ExecKey] = [];
      else exec[key as ExecKey].push(value);
    } else settings[key] = value;
  }
  return { exec, settings, ...lists };
}

/** The command of an Exec line without systemd's prefixes (`-`, `@`, `+`, `!`, `:`), split on white space. */
function words(line: string): string[] {
  return line.replace(/^[-@+!:|]+/, '').split(/\s+/).filter(Boolean);
}

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Whether an Exec line is the guard's `lock` or `settle` (however it was installed: node main.js, or guard). */
export function isGuardStep(line: string, step: 'lock' | 'settle'): boolean {
  const argv = words(line);
  return argv.some((word, index) => (basename(word) === 'main.js' || basename(word) === 'guard') && argv[index + 1] === step);
}

/** Whether an Exec line may merge: systemd-sysext/-confext merge or refresh, or with no verb (a varlink service instance). */
function merges(line: string): boolean {
  const argv = words(line);
  const tool = argv.findIndex((word) => /^systemd-(sysext|confext)$/.test(basename(word)));
  if (tool === -1) return false;
  const verb = argv.slice(tool + 1).find((word) => !word.startsWith('-'));
  return verb === undefined || verb === 'merge' || verb === 'refresh';
}

/**
 * Pure: each way this unit merges without the guard around it, in words.
 * A service must lock before it starts (ExecStartPre) and settle after it
 * stops (ExecStopPost); one that merges in ExecStart settles after it
 * (ExecStartPost); a reload that merges locks first and settles last.
 * `instance` services (varlink, one per connection) are checked as services
 * that may merge whatever their ExecStart says.
 */
export function uncoveredPaths(unit: string, text: string, services: (name: string) => string | undefined = () => undefined): string[] {
  const parsed = parseUnitText(text);
  if (unit.endsWith('.socket')) {
    // What the socket starts: NAME@.service per connection with Accept=yes, else Service= or NAME.service.
    const base = unit.slice(0, -'.socket'.length);
    const accept = /^(yes|true|on|1)$/i.test(parsed.settings.Accept ?? '');
    const service = parsed.settings.Service ?? (accept ? `${base}@.service` : `${base}.service`);
    const listen = parsed.settings.ListenStream ?? parsed.settings.ListenSequentialPacket ?? '';
    const serviceText = services(service);
    if (serviceText === undefined) return [`${unit}${listen ? ` (${listen})` : ''} starts ${service}, which systemd does not show (systemctl cat ${service})`];
    return uncoveredPaths(service, serviceText).map((path) => `${unit}${listen ? ` (${listen})` : ''} starts ${path}`);
  }
  const { exec } = parsed;
  const found: string[] = [];
  const instance = unit.includes('@.');
  const startMerges = instance || exec.ExecStart.some(merges) || exec.ExecStartPre.some(merges) || exec.ExecStartPost.some(merges);
  if (startMerges && !exec.ExecStartPre.some((line) => isGuardStep(line, 'lock'))) {
    found.push(`${unit}: ${exec.ExecStart.find(merges) ?? exec.ExecStart[0] ?? 'its start'} runs with no guard lock before it (ExecStartPre)`);
  }
  // The settle after the start: an ExecStartPost, or a unit this one pulls in that runs it after this one.
  const settlesAfter = (name: string) => {
    const text = services(name);
    if (text === undefined) return false;
    const pulled = parseUnitText(text);
    return pulled.after.includes(unit) && [...pulled.exec.ExecStartPre, ...pulled.exec.ExecStart].some((line) => isGuardStep(line, 'settle'));
  };
  if (startMerges && !instance && !exec.ExecStartPost.some((line) => isGuardStep(line, 'settle')) && !parsed.wants.some(settlesAfter)) {
    found.push(`${unit}: no guard settle after its start (ExecStartPost, or a unit it pulls in ordered after it): the lock may stay with nothing merged, or pacman's view stale`);
  }
  if (startMerges && !exec.ExecStopPost.some((line) => isGuardStep(line, 'settle'))) {
    found.push(`${unit}: no guard settle after it stops (ExecStopPost)`);
  }
  const reload = exec.ExecReload;
  const reloadMerges = reload.findIndex(merges);
  if (reloadMerges !== -1) {
    const lockBefore = reload.slice(0, reloadMerges).some((line) => isGuardStep(line, 'lock'));
    const settleAfter = reload.slice(reloadMerges + 1).some((line) => isGuardStep(line, 'settle'));
    if (!lockBefore || !settleAfter) found.push(`${unit}: ExecReload=${reload[reloadMerges]} runs with${lockBefore ? '' : 'out the guard lock before it'}${!lockBefore && !settleAfter ? ' and' : ''}${settleAfter ? '' : ' no guard settle after it'}`);
  }
  return found;
}
