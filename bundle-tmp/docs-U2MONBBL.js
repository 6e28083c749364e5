import {
  HELPER_SHIMS
} from "./chunk-JOIKW67E.js";
import "./chunk-YJFO2KKY.js";
import {
  HELPER_NAMES
} from "./chunk-YPDJNW7G.js";
import {
  COMMANDS
} from "./chunk-D5W54GFO.js";
import "./chunk-4WA2TRF5.js";
import {
  parseCommandOptions
} from "./chunk-CBJKVL5X.js";
import {
  VERSION
} from "./chunk-FG7EVZGW.js";
import "./chunk-SIRNJXXP.js";
import {
  EXIT_CODE_DESCRIPTIONS,
  ExitCode,
  GuardError
} from "./chunk-63T2ULCU.js";

// src/cli/docs.ts
async function documentedCommands() {
  const visible = COMMANDS.filter((entry) => !entry.internal);
  return Promise.all(visible.map(async (entry) => ({ name: entry.name, summary: entry.summary, command: await entry.load() })));
}
function roff(text) {
  return text.replace(/\\/g, "\\e").replace(/-/g, "\\-").replace(/^([.'])/gm, "\\&$1");
}
function optionNames(flags) {
  return [...flags.matchAll(/--?[A-Za-z][\w-]*/g)].map((match) => match[0]);
}
function manPageDate(env = process.env) {
  const epoch = env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1e3) : /* @__PURE__ */ new Date();
}
function renderManPage(commands, date = manPageDate()) {
  const exitCodes = Object.values(ExitCode).filter((code) => typeof code === "number");
  const lines = [
    `.TH GUARD 8 "${date.toISOString().slice(0, 10)}" "pacman-guard ${VERSION}" "pacman-guard"`,
    ".SH NAME",
    "guard \\- keep pacman from changing a system whose /usr is extended by systemd\\-sysext",
    ".SH SYNOPSIS",
    ".B guard",
    "[\\fB\\-\\-color\\fR \\fIwhen\\fR] \\fIcommand\\fR [\\fIoptions\\fR]",
    ".SH DESCRIPTION",
    roff("While system extensions are merged, or pacman's database is locked read-only, pacman-guard refuses every pacman command that would change this system before pacman starts, and says what was refused, why, and the commands that proceed. Everything else behaves exactly like pacman."),
    ".SH COMMANDS",
    ...commands.flatMap(({ summary, command }) => [
      ".TP",
      `.B ${roff(command.usage)}`,
      roff(summary.charAt(0).toUpperCase() + summary.slice(1)) + ".",
      ...command.details ? [".br", roff(command.details.replace(/\n/g, " "))] : [],
      ...command.options.flatMap(([flags, description]) => [".RS", ".TP", `.B ${roff(flags)}`, roff(description), ".RE"])
    ]),
    ".SH THE PACMAN SHIM",
    roff("A shell script named pacman, installed ahead of /usr/bin/pacman on PATH and in sudo's secure_path (guard install). It execs the real pacman (PACMAN_GUARD_REAL_PACMAN, default /usr/bin/pacman) with the same arguments, environment and terminal when nothing is merged and the database is writable, and for command lines that certainly do not take the database lock; otherwise it asks guard, which refuses mutating operations on this system while extensions are merged or the database is locked. It exits with pacman's status, or with 3 or 4 when it refuses. The pacman-guard package installs it as /usr/lib/pacman-guard/bin/pacman, first on PATH for login shells by /etc/profile.d/pacman-guard.sh; for sudo, install /usr/share/doc/pacman-guard/sudoers.example as /etc/sudoers.d/pacman-guard."),
    ".SH THE YAY AND PARU SHIMS",
    roff(`Shell scripts named ${HELPER_NAMES.join(" and ")}, installed next to the pacman shim (guard install; --helpers chooses which). An AUR helper clones, builds and asks its questions before it runs pacman, so these decide before the helper starts: they exec the real helper (${HELPER_NAMES.map((helper) => `${HELPER_SHIMS[helper].realVariable}, default ${HELPER_SHIMS[helper].realHelper}`).join("; ")}) when nothing is merged and the database is not locked (for root: writable; for a user, who can never write it: not on a read-only mount, from /proc/self/mountinfo), and otherwise ask guard, which refuses the helper operations that would change this system. They exit with the helper's status, with 3 or 4 when they refuse, and with 127, as a missing command, when the helper is not installed.`),
    ".SH THE LIBALPM HOOK",
    roff("00-pacman-guard.hook, a PreTransaction hook with AbortOnFail for every install, upgrade and removal: the backstop for whatever bypasses the shim (/usr/bin/pacman by absolute path, AUR helpers configured so, libalpm front-ends). It aborts the transaction while extensions are merged. pacman runs it after downloading, so the shim remains the layer that fails fast."),
    ".SH EXIT STATUS",
    ...exitCodes.flatMap((code) => [".TP", `.B ${code}`, roff(EXIT_CODE_DESCRIPTIONS[code])]),
    ".SH FILES",
    ".TP",
    ".I /usr/share/libalpm/hooks/00\\-pacman\\-guard.hook",
    "The libalpm hook.",
    ".TP",
    ".I /usr/lib/systemd/system/systemd\\-sysext.service.d/pacman\\-guard.conf",
    "Keeps the lock in step with systemd\\-sysext.service.",
    ".TP",
    ".I /usr/lib/systemd/system/pacman\\-guard\\-metrics.timer",
    "Runs guard metrics every minute (pacman\\-guard\\-metrics.service); shipped disabled.",
    ".TP",
    ".I /var/lib/prometheus/node\\-exporter/pacman\\-guard.prom",
    "The metrics guard metrics writes for node_exporter's textfile collector.",
    ".TP",
    ".I /usr/lib/pacman\\-guard/bin/pacman",
    "The pacman shim, as the package installs it.",
    ...HELPER_NAMES.flatMap((helper) => [".TP", `.I /usr/lib/pacman\\-guard/bin/${helper}`, `The ${helper} shim, as the package installs it.`]),
    ".TP",
    ".I /etc/profile.d/pacman\\-guard.sh",
    "Puts the shims first on PATH for login shells.",
    ".TP",
    ".I /usr/share/doc/pacman\\-guard/sudoers.example",
    "sudo's secure_path with the shim first, for /etc/sudoers.d.",
    ".TP",
    ".I /etc/pacman\\-guard.conf",
    "The policy: [options] Policy = refuse (the default) or redirect (build a system extension from pacman \\-S and \\-U instead).",
    ".TP",
    ".I /run/pacman\\-guard/",
    "Serializes guard lock and guard unlock.",
    ".TP",
    ".I /var/log/pacman.log",
    "Refusals and overrides, as [PACMAN\\-GUARD] lines.",
    ".SH SEE ALSO",
    ".BR pacman (8),",
    ".BR systemd\\-sysext (8),",
    ".BR alpm\\-hooks (5)"
  ];
  return `${lines.join("\n")}
`;
}
function renderCompletion(shell, commands) {
  const names = commands.map(({ name }) => name);
  const optionsOf = (command) => [...new Set(command.options.flatMap(([flags]) => optionNames(flags))), "--help"];
  switch (shell) {
    case "bash":
      return [
        "# bash completion for guard (pacman-guard); generated by guard docs bash",
        "_guard() {",
        "  local current=${COMP_WORDS[COMP_CWORD]} command=${COMP_WORDS[1]}",
        "  if [[ $COMP_CWORD -eq 1 ]]; then",
        `    COMPREPLY=($(compgen -W '${names.join(" ")} --help --version --color' -- "$current"))`,
        "    return",
        "  fi",
        "  case $command in",
        ...commands.map(({ name, command }) => `    ${name}) COMPREPLY=($(compgen -W '${optionsOf(command).join(" ")}' -- "$current")) ;;`),
        "  esac",
        "}",
        "complete -F _guard guard",
        ""
      ].join("\n");
    case "zsh":
      return [
        "#compdef guard",
        "# zsh completion for guard (pacman-guard); generated by guard docs zsh",
        "_guard() {",
        "  local -a commands",
        `  commands=(${commands.map(({ name, summary }) => `'${name}:${summary.replace(/'/g, "'\\''")}'`).join(" ")})`,
        "  if (( CURRENT == 2 )); then",
        "    _describe 'command' commands",
        "    return",
        "  fi",
        "  case $words[2] in",
        ...commands.map(({ name, command }) => `    ${name}) _values 'option' ${optionsOf(command).map((option) => `'${option}'`).join(" ")} ;;`),
        "  esac",
        "}",
        '_guard "$@"',
        ""
      ].join("\n");
    case "fish":
      return [
        "# fish completion for guard (pacman-guard); generated by guard docs fish",
        "complete -c guard -f",
        ...commands.map(({ name, summary }) => `complete -c guard -n '__fish_use_subcommand' -a ${name} -d '${summary.replace(/'/g, "\\'")}'`),
        // One line per option: `-s y -l refresh` when it has both spellings.
        ...commands.flatMap(({ name, command }) => command.options.map(([flags, description]) => {
          const spellings = optionNames(flags).map((option) => option.startsWith("--") ? `-l ${option.slice(2)}` : `-s ${option.slice(1)}`);
          return `complete -c guard -n '__fish_seen_subcommand_from ${name}' ${spellings.join(" ")} -d '${description.replace(/'/g, "\\'")}'`;
        })),
        ""
      ].join("\n");
  }
}

// src/cli/commands/docs.ts
var KINDS = ["man", "bash", "zsh", "fish"];
var docsCommand = {
  name: "docs",
  usage: "guard docs man|bash|zsh|fish",
  options: [],
  details: "Prints guard(8) in roff, or a shell completion script, generated from the commands themselves.",
  async run(context) {
    const { positionals } = parseCommandOptions(context.args, {}, true);
    const kind = positionals[0];
    if (positionals.length !== 1 || !kind || !KINDS.includes(kind)) {
      throw new GuardError(`expected one of ${KINDS.join(", ")}`, { exitCode: 2 /* Usage */, hints: ["  e.g. guard docs man > guard.8"] });
    }
    const commands = await documentedCommands();
    context.stdout.write(kind === "man" ? renderManPage(commands) : renderCompletion(kind, commands));
    return 0 /* Ok */;
  }
};
export {
  docsCommand
};
//# sourceMappingURL=docs-U2MONBBL.js.map
