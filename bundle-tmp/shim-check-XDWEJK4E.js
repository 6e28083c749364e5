import {
  policyOrRefuse
} from "./chunk-463A5SXR.js";
import {
  SHIM_HANDLED
} from "./chunk-YJFO2KKY.js";
import {
  outputAsPacman
} from "./chunk-CTOPQ2FV.js";
import "./chunk-E7PJUYJI.js";
import {
  DEFAULT_REAL_PACMAN
} from "./chunk-6SAGVWWM.js";
import {
  decide,
  installReasonTargets,
  isRedirectable,
  judge,
  redirectKind
} from "./chunk-EU7SIPEI.js";
import "./chunk-4WA2TRF5.js";
import {
  refusalText
} from "./chunk-FBLWSKTN.js";
import "./chunk-YUQUC6CE.js";
import {
  processName,
  recordAudit
} from "./chunk-HVXMJR3L.js";
import {
  auditEntry
} from "./chunk-CN5PT5GW.js";
import "./chunk-LMKLE5DX.js";
import "./chunk-CBJKVL5X.js";
import "./chunk-7PTK2B3L.js";
import {
  readPacmanConfig
} from "./chunk-ANAKCO4H.js";
import "./chunk-SIRNJXXP.js";
import "./chunk-63T2ULCU.js";

// src/cli/commands/shim-check.ts
async function audit(context, output, args, event, reason) {
  const callerPid = Number(context.env.PACMAN_GUARD_CALLER_PID ?? process.ppid);
  let logFile = "/var/log/pacman.log";
  try {
    logFile = (await readPacmanConfig()).logFile;
  } catch {
  }
  const warnings = await recordAudit(auditEntry(context.env, { parent: await processName(callerPid), argv: ["pacman", ...args], event, reason }), { logFile });
  for (const warning of warnings) output.warning(warning);
}
var shimCheckCommand = {
  name: "shim-check",
  usage: "guard shim-check -- <pacman arguments>",
  options: [],
  passesHelpThrough: true,
  async run(context) {
    const separator = context.args.indexOf("--");
    const args = separator === -1 ? context.args : context.args.slice(separator + 1);
    const realPacman = context.env.PACMAN_GUARD_REAL_PACMAN ?? DEFAULT_REAL_PACMAN;
    const judgement = await judge(args, { env: context.env, policy: "refuse", detectVersion: "when-needed", realPacman });
    if (judgement.verdict.decision === "allow") return 0 /* Ok */;
    const { command, actsOnHost, engagement } = judgement;
    const output = await outputAsPacman(context, command);
    const marked = installReasonTargets(command);
    const policy = redirectKind(command) || marked ? await policyOrRefuse(output) : "refuse";
    const verdict = policy === "refuse" || !engagement ? judgement.verdict : decide(command, actsOnHost, engagement, policy);
    const uid = process.getuid?.() ?? -1;
    if (verdict.decision === "redirect") {
      const { redirect } = await import("./redirect-QXTRZKDN.js");
      return redirect({ context: { ...context, output }, args, command, verdict, realPacman, audit: (event, reason) => audit(context, output, args, event, reason) });
    }
    if (marked && policy === "redirect" && verdict.exitCode === 3 /* Refused */) {
      const { carryingExtensions, listStore } = await import("./store-YFBARH2Y.js");
      const carriers = carryingExtensions(marked, await listStore());
      if (carriers) {
        const where = [...new Set(carriers.values())].join(", ");
        const reason = `${marked.join(", ")} ${marked.length === 1 ? "is" : "are"} in system extensions (${where}), not in pacman's database`;
        output.heading(`pacman-guard: ${reason}: no install reason to set (Policy = redirect)`);
        await audit(context, output, args, "skipped", reason);
        return SHIM_HANDLED;
      }
    }
    const removal = redirectKind(command) === "remove" && engagement?.known && !command.readsTargetsFromStdin ? await import("./redirect-QXTRZKDN.js").then(({ removalAdvice }) => removalAdvice(command.targets)) : void 0;
    const text = refusalText(verdict, engagement ?? { known: false, reason: verdict.reason }, args, uid === 0, {
      ...isRedirectable(command) && !command.readsTargetsFromStdin && verdict.exitCode === 3 /* Refused */ ? { extend: command.targets } : {},
      ...removal ? { removal } : {}
    });
    output.error(text.message, ...text.details);
    await audit(context, output, args, verdict.exitCode === 4 /* StateUnknown */ ? "refused (state unknown)" : "refused", verdict.reason);
    return verdict.exitCode;
  }
};
export {
  shimCheckCommand
};
//# sourceMappingURL=shim-check-XDWEJK4E.js.map
