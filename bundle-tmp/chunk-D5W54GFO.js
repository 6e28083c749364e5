import {
  EXIT_CODE_DESCRIPTIONS,
  ExitCode
} from "./chunk-63T2ULCU.js";

// src/cli/commands.ts
var COMMANDS = [
  { name: "check", summary: "tell what pacman would do with a command line, and whether the guard allows it", load: async () => (await import("./check-4VMGRIB5.js")).checkCommand },
  { name: "status", summary: "show merged extensions, the database lock, a running transaction and the /var layout", load: async () => (await import("./status-YEZS3DVC.js")).statusCommand },
  { name: "metrics", summary: "write the status as Prometheus metrics for node_exporter's textfile collector", load: async () => (await import("./metrics-ZDRDC3TW.js")).metricsCommand },
  { name: "lock", summary: "lock pacman's database read-only", load: async () => (await import("./lock-F4CCDP5W.js")).lockCommand },
  { name: "unlock", summary: "unlock pacman's database", load: async () => (await import("./lock-F4CCDP5W.js")).unlockCommand },
  { name: "merge", summary: "lock the database, then merge system extensions", load: async () => (await import("./lock-F4CCDP5W.js")).mergeCommand },
  { name: "unmerge", summary: "unmerge system extensions, then unlock the database", load: async () => (await import("./lock-F4CCDP5W.js")).unmergeCommand },
  { name: "refresh", summary: "refresh system extensions with the database locked", load: async () => (await import("./lock-F4CCDP5W.js")).refreshCommand },
  { name: "settle", summary: "lock the database if extensions are merged, unlock it if not", load: async () => (await import("./lock-F4CCDP5W.js")).settleCommand },
  { name: "update", summary: "change the base system on purpose: pacman in a maintenance window, then lock, merge, verify", load: async () => (await import("./update-UCSOV4JM.js")).updateCommand },
  { name: "extend", summary: "build a system extension from packages instead of installing them", load: async () => (await import("./extend-2BDU5MUL.js")).extendCommand },
  { name: "doctor", summary: "check the whole setup and say how to fix what is wrong", load: async () => (await import("./doctor-WSUMA7LF.js")).doctorCommand },
  { name: "install", summary: "install the pacman, yay and paru shims and the libalpm hook", load: async () => (await import("./install-WUXW2QRJ.js")).installCommand },
  { name: "uninstall", summary: "remove what guard install installed", load: async () => (await import("./install-WUXW2QRJ.js")).uninstallCommand },
  { name: "docs", summary: "print guard(8) or a shell completion script", load: async () => (await import("./docs-U2MONBBL.js")).docsCommand },
  { name: "hook", summary: "abort a pacman transaction while extensions are merged or the image is read-only (libalpm hook)", internal: true, load: async () => (await import("./hook-HHXWMWR2.js")).hookCommand },
  { name: "shim-check", summary: "decide for the pacman shim: exit 0 lets pacman run", internal: true, load: async () => (await import("./shim-check-XDWEJK4E.js")).shimCheckCommand },
  { name: "helper-check", summary: "decide for the yay and paru shims: exit 0 lets the helper run", internal: true, load: async () => (await import("./helper-check-VRD5PRQA.js")).helperCheckCommand }
];
var pad = (text, width) => text.length >= width ? `${text}  ` : text.padEnd(width);
function mainHelp() {
  const lines = [
    "usage:  guard [--color <when>] <command> [options]",
    "",
    "Keeps pacman from changing a system whose /usr is extended by systemd-sysext.",
    "",
    "commands:",
    ...COMMANDS.filter((command) => !command.internal).map((command) => `    ${pad(command.name, 12)}${command.summary}`),
    "",
    "options:",
    `    ${pad("--color <when>", 24)}colorize the output (never, auto, always)`,
    `    ${pad("-h, --help", 24)}show this help, or a command's help`,
    `    ${pad("-V, --version", 24)}show the version`,
    "",
    "exit codes:",
    ...Object.values(ExitCode).filter((code) => typeof code === "number").map((code) => `    ${pad(String(code), 4)}${EXIT_CODE_DESCRIPTIONS[code]}`),
    "",
    "Run 'guard <command> --help' for a command's options."
  ];
  return lines.join("\n");
}
function commandHelp(entry, command) {
  const lines = [`usage:  ${command.usage}`, "", entry.summary];
  if (command.options.length > 0) {
    lines.push("", "options:", ...command.options.map(([flags, description]) => `    ${pad(flags, 24)}${description}`));
  }
  if (command.details) lines.push("", command.details);
  return lines.join("\n");
}

export {
  COMMANDS,
  mainHelp,
  commandHelp
};
//# sourceMappingURL=chunk-D5W54GFO.js.map
