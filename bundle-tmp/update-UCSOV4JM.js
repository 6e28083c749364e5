import {
  finishUpdate,
  runUpdate
} from "./chunk-VHHCGI5A.js";
import {
  DEFAULT_REAL_PACMAN
} from "./chunk-6SAGVWWM.js";
import {
  judge
} from "./chunk-EU7SIPEI.js";
import {
  parsePacmanCommand
} from "./chunk-4WA2TRF5.js";
import {
  commandLine
} from "./chunk-FBLWSKTN.js";
import "./chunk-YUQUC6CE.js";
import "./chunk-LMKLE5DX.js";
import "./chunk-CBJKVL5X.js";
import "./chunk-TZFI22VC.js";
import "./chunk-EJBPORAO.js";
import "./chunk-CV7VYEZC.js";
import "./chunk-FG7EVZGW.js";
import "./chunk-2PSP3724.js";
import "./chunk-7PTK2B3L.js";
import "./chunk-ANAKCO4H.js";
import "./chunk-SIRNJXXP.js";
import "./chunk-QHI3HJOS.js";
import {
  GuardError
} from "./chunk-63T2ULCU.js";

// src/cli/commands/update.ts
var OWN_OPTIONS = ["--no-rebuild", "--finish"];
function splitUpdateArguments(args) {
  const separator = args.indexOf("--");
  const head = separator === -1 ? args : args.slice(0, separator);
  const own = head.filter((arg) => OWN_OPTIONS.includes(arg));
  const pacmanArgs = [...head.filter((arg) => !OWN_OPTIONS.includes(arg)), ...separator === -1 ? [] : args.slice(separator)];
  const operation = parsePacmanCommand(pacmanArgs).operation;
  return { noRebuild: own.includes("--no-rebuild"), finish: own.includes("--finish"), pacmanArgs: operation === void 0 ? ["-Syu", ...pacmanArgs] : pacmanArgs };
}
var updateCommand = {
  name: "update",
  usage: "guard update [--no-rebuild] [<pacman operation> [options] [targets]]\n        guard update --finish",
  options: [
    ["--no-rebuild", "check extensions against the new base, but do not rebuild them"],
    ["--finish", "put back what an interrupted guard update found"]
  ],
  details: [
    "Changes the base system on purpose. Without an operation it runs pacman -Syu; also",
    "guard update -S PKG, -R PKG, -U FILE. It records the merge and lock state, unmerges,",
    "unlocks, runs pacman in a private mount namespace where the read-only image is",
    "writable for pacman alone, then locks, merges and verifies. Extensions built by guard",
    "extend are checked against the new base: rebuilt where a rebuild mends them, left",
    "unmerged with the reason where not. Exit status: pacman's; 1 if the system could not",
    "be put back (then: guard update --finish); 2 bad usage; 3 refused; 4 state unknown."
  ].join("\n"),
  async run(context) {
    const { noRebuild, finish, pacmanArgs } = splitUpdateArguments(context.args);
    const realPacman = context.env.PACMAN_GUARD_REAL_PACMAN ?? DEFAULT_REAL_PACMAN;
    if (finish && context.args.length > 1) throw new GuardError("--finish takes no other arguments", { exitCode: 2 /* Usage */ });
    if (process.getuid?.() !== 0) throw new GuardError("you cannot perform this operation unless you are root.", { exitCode: 1 /* Failure */, hints: ["  nothing was changed; run it with sudo"] });
    const options = { env: context.env, realPacman, output: context.output, noRebuild };
    if (finish) return finishUpdate(options);
    const { command, actsOnHost } = await judge(pacmanArgs, { env: context.env, policy: "refuse", realPacman });
    const shown = commandLine("pacman", pacmanArgs);
    if (command.outcome === "rejected") {
      throw new GuardError(`pacman would reject '${shown}': ${command.rejection?.message}`, { exitCode: 2 /* Usage */, hints: ["  nothing was changed"] });
    }
    if (command.outcome !== "run" || !command.needsLock) {
      throw new GuardError(`'${shown}' does not change the system: run it without guard update`, { exitCode: 2 /* Usage */, hints: ["  guard update is for -Syu, -S, -R and -U"] });
    }
    if (!actsOnHost) {
      throw new GuardError(`'${shown}' acts on another root or database: run it without guard update`, { exitCode: 2 /* Usage */ });
    }
    return runUpdate(pacmanArgs, options);
  }
};
export {
  splitUpdateArguments,
  updateCommand
};
//# sourceMappingURL=update-UCSOV4JM.js.map
