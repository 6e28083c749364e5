import {
  judge
} from "./chunk-EU7SIPEI.js";
import {
  commandLine
} from "./chunk-FBLWSKTN.js";
import {
  parseCommandOptions
} from "./chunk-CBJKVL5X.js";
import {
  GuardError
} from "./chunk-63T2ULCU.js";

// src/cli/commands/check.ts
var DEFAULT_REAL_PACMAN = "/usr/bin/pacman";
function checkDocument(args, judgement) {
  const { command, verdict } = judgement;
  return {
    argv: args,
    // The variant whose reading decided (null when pacman's version was not
    // asked or unknown), and every variant the line was parsed for.
    pacmanVersion: judgement.detected ? command.variant : null,
    variants: judgement.variants,
    operation: command.operation ?? null,
    outcome: command.outcome,
    rejection: command.rejection?.message ?? null,
    targets: command.targets,
    needsLock: command.needsLock,
    needsRoot: command.needsRoot,
    host: judgement.actsOnHost,
    paths: command.paths,
    decision: verdict.decision,
    reason: verdict.reason,
    action: verdict.action,
    exitCode: verdict.exitCode
  };
}
var checkCommand = {
  name: "check",
  usage: "guard check [--json] -- <pacman arguments>",
  options: [["--json", "print the verdict as JSON"]],
  details: "Exit status: 0 allowed, 3 refused, 4 refused because the state is unknown.",
  passesHelpThrough: true,
  async run(context) {
    const separator = context.args.indexOf("--");
    const own = separator === -1 ? context.args : context.args.slice(0, separator);
    const pacmanArgs = separator === -1 ? [] : context.args.slice(separator + 1);
    if (separator === -1) {
      throw new GuardError("pacman's arguments go after '--'", { exitCode: 2 /* Usage */, hints: ["  e.g. guard check -- -Syu"] });
    }
    const { values } = parseCommandOptions(own, { json: { type: "boolean" } });
    const judgement = await judge(pacmanArgs, {
      env: context.env,
      policy: "refuse",
      realPacman: context.env.PACMAN_GUARD_REAL_PACMAN ?? DEFAULT_REAL_PACMAN
    });
    if (values.json) {
      context.output.line(JSON.stringify(checkDocument(pacmanArgs, judgement), null, 2));
      return judgement.verdict.exitCode;
    }
    const { command, verdict } = judgement;
    const yesNo = (value) => value ? "yes" : "no";
    context.output.line(commandLine("pacman", pacmanArgs));
    context.output.line(`  operation:   ${command.operation ?? "none"} (${verdict.action})`);
    if (command.rejection) context.output.line(`  pacman says: error: ${command.rejection.message}`);
    context.output.line(`  takes lock:  ${yesNo(command.needsLock)}`);
    context.output.line(`  acts on:     ${judgement.actsOnHost ? "this system" : "another root or database"}`);
    context.output.line(`  decision:    ${verdict.decision}: ${verdict.reason}`);
    return verdict.exitCode;
  }
};

export {
  DEFAULT_REAL_PACMAN,
  checkDocument,
  checkCommand
};
//# sourceMappingURL=chunk-6SAGVWWM.js.map
