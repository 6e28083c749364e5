/**
 * `guard status --prometheus`: the status document (cli/commands/status.ts,
 * the one reading of the state) and the audit trail's counts, rendered in
 * Prometheus' text exposition format for node_exporter's textfile collector.
 * Pure.
 *
 * A value the guard could not read is left out rather than written as 0:
 * "not merged" and "could not tell" must not look alike on a dashboard, and
 * pacman_guard_state_unknown says which it was.
 */
import type { StatusDocument } from '../status/document.js';

export interface AuditCounts {
  /** Refusals by the shims and aborts by the libalpm hook since boot. */
  readonly refusals: number;
  /** pacman -S/-U turned into system extensions (Policy = redirect) since boot. */
  readonly redirects: number;
}

export interface MetricsInput {
  readonly status: StatusDocument;
  /**
   * The hierarchies systemd-sysext and systemd-confext merge here, so that a
   * hierarchy with nothing merged reads 0 instead of having no series.
   */
  readonly hierarchies: readonly string[];
  /** Undefined when pacman.log could not be read: the counters are then left out. */
  readonly audit: AuditCounts | undefined;
}

/**
 * Yes/no facts about the state, one gauge each (1 or 0; left out when
 * unknown). A new condition in the status document is one more row here.
 */
interface Condition {
  readonly name: string;
  readonly help: string;
  readonly value: (status: StatusDocument) => boolean | null;
}

export const CONDITIONS: readonly Condition[] = [
  {
    name: 'pacman_guard_state_unknown',
    help: "1 when pacman-guard could not read the system's state; it then refuses pacman's changes (fail closed)",
    value: (status) => status.engaged === null,
  },
  {
    name: 'pacman_guard_engaged',
    help: "1 when system extensions are merged, pacman's database is locked, the image is read-only or a guard update is open",
    value: (status) => status.engaged,
  },
  {
    name: 'pacman_guard_locked',
    help: "1 when pacman's database is locked (bind-mounted read-only)",
    value: (status) => status.locked,
  },
  {
    name: 'pacman_guard_merged_unlocked',
    help: "1 when system extensions are merged while pacman's database is writable: pacman could change the system (run guard settle)",
    value: (status) => (status.merged === null || status.locked === null ? null : status.merged && !status.locked),
  },
  {
    name: 'pacman_guard_view_stale',
    help: "1 when pacman's view of the database does not match what is merged: it lists packages whose files are gone, or misses merged ones (run guard settle)",
    value: (status) => status.view?.stale ?? null,
  },
  {
    name: 'pacman_guard_stale_db_lock',
    help: "1 when pacman's db.lck exists but no process holds it",
    value: (status) => (status.transaction ? status.transaction.state === 'stale' : null),
  },
  {
    name: 'pacman_guard_read_only_image',
    help: '1 when a hierarchy pacman writes package files into is read-only (changes go through guard update)',
    value: (status) => (status.readOnly === null ? null : status.readOnly.length > 0),
  },
  {
    name: 'pacman_guard_update_running',
    help: '1 while guard update has its maintenance window open',
    value: (status) => (status.engaged === null ? null : status.update?.state === 'running'),
  },
  {
    name: 'pacman_guard_update_interrupted',
    help: '1 when a guard update was interrupted before it put the system back (run guard update --finish)',
    value: (status) => (status.engaged === null ? null : status.update?.state === 'interrupted'),
  },
];

type Sample = readonly [labels: Readonly<Record<string, string>>, value: number];

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly samples: readonly Sample[];
}

/** The exposition format's escapes: HELP text escapes \ and newline; label values also ". */
const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (text: string) => escapeHelp(text).replace(/"/g, '\\"');

function renderFamily(family: Family): string {
  const lines = [`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`];
  for (const [labels, value] of family.samples) {
    const pairs = Object.entries(labels).map(([key, text]) => `${key}="${escapeLabel(text)}"`);
    lines.push(`${family.name}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''} ${value}`);
  }
  return lines.join('\n');
}

export function metricFamilies(input: MetricsInput): Family[] {
  const { status } = input;
  const families: Family[] = CONDITIONS.map((condition) => {
    const value = condition.value(status);
    return { name: condition.name, help: condition.help, type: 'gauge', samples: value === null ? [] : [[{}, value ? 1 : 0]] };
  });
  if (status.merged !== null) {
    const counts = new Map(input.hierarchies.map((hierarchy) => [hierarchy, 0]));
    for (const entry of status.hierarchies) counts.set(entry.hierarchy, entry.extensions.length);
    families.push({
      name: 'pacman_guard_merged_extensions',
      help: 'System extensions merged into each hierarchy (systemd-sysext, systemd-confext)',
      type: 'gauge',
      samples: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([hierarchy, count]) => [{ hierarchy }, count]),
    });
  }
  families.push({
    name: 'pacman_guard_problems',
    help: 'Problems guard status reports (guard status lists them)',
    type: 'gauge',
    samples: [[{}, status.problems.length]],
  });
  if (input.audit) {
    families.push(
      {
        name: 'pacman_guard_refusals_total',
        help: "pacman and AUR helper commands refused, and transactions the libalpm hook aborted, since boot (pacman.log)",
        type: 'counter',
        samples: [[{}, input.audit.refusals]],
      },
      {
        name: 'pacman_guard_redirects_total',
        help: 'pacman installs turned into system extensions (Policy = redirect) since boot (pacman.log)',
        type: 'counter',
        samples: [[{}, input.audit.redirects]],
      },
    );
  }
  return families;
}

/** The textfile collector's input: every family with HELP and TYPE, newline-terminated. */
export function renderPrometheus(input: MetricsInput): string {
  return `${metricFamilies(input).map(renderFamily).join('\n')}\n`;
}
