import {
  LOG_TAG
} from "./chunk-CN5PT5GW.js";
import {
  extensionHierarchies
} from "./chunk-SIRNJXXP.js";

// src/metrics/collect.ts
import { readFile as readFile2 } from "node:fs/promises";

// src/audit/count.ts
var EVENT_KINDS = {
  refused: "refusal",
  "refused (state unknown)": "refusal",
  "transaction aborted by the hook": "refusal",
  redirected: "redirect"
};
var LINE = new RegExp(String.raw`^\[(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)([+-])(\d\d)(\d\d)\] \[${LOG_TAG}\] ([^']*?) '`);
function parseAuditLine(line) {
  const match = LINE.exec(line);
  if (!match) return void 0;
  const [, year, month, day, hour, minute, second, sign, offsetHours, offsetMinutes, event] = match;
  const offset = (sign === "-" ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) - offset * 6e4;
  return { time: new Date(utc), event };
}
function countAuditEvents(logText, since) {
  const counts = { refusals: 0, redirects: 0 };
  const from = Math.floor(since.getTime() / 1e3) * 1e3;
  for (const line of logText.split("\n")) {
    if (!line.includes(LOG_TAG)) continue;
    const entry = parseAuditLine(line);
    if (!entry || entry.time.getTime() < from) continue;
    const kind = EVENT_KINDS[entry.event];
    if (kind === "refusal") counts.refusals++;
    else if (kind === "redirect") counts.redirects++;
  }
  return counts;
}

// src/system/boot-time.ts
import { readFile } from "node:fs/promises";
var CLOCK_TICKS_PER_SECOND = 100;
function parseKernelBootTime(procStat) {
  const match = /^btime (\d+)$/m.exec(procStat);
  return match ? Number(match[1]) : void 0;
}
function parseStartTicks(pidStat) {
  const fields = pidStat.slice(pidStat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[19]);
  return Number.isInteger(ticks) && ticks >= 0 ? ticks : void 0;
}
function initStartTime(procStat, initStat) {
  const btime = parseKernelBootTime(procStat);
  const ticks = parseStartTicks(initStat);
  if (btime === void 0 || ticks === void 0) return void 0;
  return new Date(btime * 1e3 + Math.floor(ticks * 1e3 / CLOCK_TICKS_PER_SECOND));
}
async function bootTime(procRoot = "/proc") {
  try {
    const [procStat, initStat] = await Promise.all([readFile(`${procRoot}/stat`, "utf8"), readFile(`${procRoot}/1/stat`, "utf8")]);
    return initStartTime(procStat, initStat);
  } catch {
    return void 0;
  }
}

// src/metrics/prometheus.ts
var CONDITIONS = [
  {
    name: "pacman_guard_state_unknown",
    help: "1 when pacman-guard could not read the system's state; it then refuses pacman's changes (fail closed)",
    value: (status) => status.engaged === null
  },
  {
    name: "pacman_guard_engaged",
    help: "1 when system extensions are merged, pacman's database is locked, the image is read-only or a guard update is open",
    value: (status) => status.engaged
  },
  {
    name: "pacman_guard_locked",
    help: "1 when pacman's database is locked (bind-mounted read-only)",
    value: (status) => status.locked
  },
  {
    name: "pacman_guard_merged_unlocked",
    help: "1 when system extensions are merged while pacman's database is writable: pacman could change the system (run guard lock)",
    value: (status) => status.merged === null || status.locked === null ? null : status.merged && !status.locked
  },
  {
    name: "pacman_guard_stale_db_lock",
    help: "1 when pacman's db.lck exists but no process holds it",
    value: (status) => status.transaction ? status.transaction.state === "stale" : null
  },
  {
    name: "pacman_guard_read_only_image",
    help: "1 when a hierarchy pacman writes package files into is read-only (changes go through guard update)",
    value: (status) => status.readOnly === null ? null : status.readOnly.length > 0
  },
  {
    name: "pacman_guard_update_running",
    help: "1 while guard update has its maintenance window open",
    value: (status) => status.engaged === null ? null : status.update?.state === "running"
  },
  {
    name: "pacman_guard_update_interrupted",
    help: "1 when a guard update was interrupted before it put the system back (run guard update --finish)",
    value: (status) => status.engaged === null ? null : status.update?.state === "interrupted"
  }
];
var escapeHelp = (text) => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
var escapeLabel = (text) => escapeHelp(text).replace(/"/g, '\\"');
function renderFamily(family) {
  const lines = [`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`];
  for (const [labels, value] of family.samples) {
    const pairs = Object.entries(labels).map(([key, text]) => `${key}="${escapeLabel(text)}"`);
    lines.push(`${family.name}${pairs.length > 0 ? `{${pairs.join(",")}}` : ""} ${value}`);
  }
  return lines.join("\n");
}
function metricFamilies(input) {
  const { status } = input;
  const families = CONDITIONS.map((condition) => {
    const value = condition.value(status);
    return { name: condition.name, help: condition.help, type: "gauge", samples: value === null ? [] : [[{}, value ? 1 : 0]] };
  });
  if (status.merged !== null) {
    const counts = new Map(input.hierarchies.map((hierarchy) => [hierarchy, 0]));
    for (const entry of status.hierarchies) counts.set(entry.hierarchy, entry.extensions.length);
    families.push({
      name: "pacman_guard_merged_extensions",
      help: "System extensions merged into each hierarchy (systemd-sysext, systemd-confext)",
      type: "gauge",
      samples: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([hierarchy, count]) => [{ hierarchy }, count])
    });
  }
  families.push({
    name: "pacman_guard_problems",
    help: "Problems guard status reports (guard status lists them)",
    type: "gauge",
    samples: [[{}, status.problems.length]]
  });
  if (input.audit) {
    families.push(
      {
        name: "pacman_guard_refusals_total",
        help: "pacman and AUR helper commands refused, and transactions the libalpm hook aborted, since boot (pacman.log)",
        type: "counter",
        samples: [[{}, input.audit.refusals]]
      },
      {
        name: "pacman_guard_redirects_total",
        help: "pacman installs turned into system extensions (Policy = redirect) since boot (pacman.log)",
        type: "counter",
        samples: [[{}, input.audit.redirects]]
      }
    );
  }
  return families;
}
function renderPrometheus(input) {
  return `${metricFamilies(input).map(renderFamily).join("\n")}
`;
}

// src/metrics/collect.ts
async function auditCountsSinceBoot(logFile, procRoot) {
  const since = await bootTime(procRoot);
  if (!since) return void 0;
  let text;
  try {
    text = await readFile2(logFile, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return { refusals: 0, redirects: 0 };
    return void 0;
  }
  return countAuditEvents(text, since);
}
async function prometheusText(status, logFile, env) {
  return renderPrometheus({
    status,
    hierarchies: [...extensionHierarchies(env, "sysext"), ...extensionHierarchies(env, "confext")],
    audit: await auditCountsSinceBoot(logFile)
  });
}

export {
  auditCountsSinceBoot,
  prometheusText
};
//# sourceMappingURL=chunk-ZGOHD6PR.js.map
