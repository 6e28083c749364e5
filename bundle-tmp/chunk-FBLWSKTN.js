import {
  GUARD_CONFIG_PATH
} from "./chunk-YUQUC6CE.js";
import {
  count,
  isShortened,
  shownWords
} from "./chunk-LMKLE5DX.js";

// src/policy/refusal.ts
function shellWord(word) {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
function commandLine(program, args) {
  return [program, ...args].map(shellWord).join(" ");
}
function shownCommandLine(program, args) {
  return [shellWord(program), shownWords(args, shellWord)].filter(Boolean).join(" ");
}
function formatSince(since) {
  if (!since) return "";
  const iso = since.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  return ` (merged since ${iso})`;
}
function refusalText(verdict, engagement, args, asRoot, alternatives = {}) {
  const sudo = asRoot ? "" : "sudo ";
  const text = refusal(verdict, engagement, "pacman", args, sudo, sudo);
  const open = verdict.next === "update" || verdict.next === "unlock";
  if (engagement.known && open && alternatives.removal && alternatives.removal.length > 0) {
    const start = text.details.findIndex((line) => line.startsWith(":: "));
    text.details.splice(
      start,
      text.details.length - start,
      ":: They are in system extensions, not in the base; take them out of there:",
      ...alternatives.removal.map((command) => `    ${sudo}${commandLine(command[0], command.slice(1))}`)
    );
  }
  if (engagement.known && open && alternatives.extend && alternatives.extend.length > 0) {
    const extend = isShortened(alternatives.extend) ? `guard extend \u2026 (the same ${count(alternatives.extend.length)} targets)` : commandLine("guard", ["extend", ...alternatives.extend]);
    text.details.push(":: Or build a system extension from them instead of installing:", `    ${sudo}${extend}`);
  }
  return text;
}
function helperRefusalText(verdict, engagement, helper, args, asRoot, redirectable) {
  const sudo = asRoot ? "" : "sudo ";
  const text = refusal(verdict, engagement, helper, args, sudo, "");
  if (engagement.known && redirectable && (verdict.next === "update" || verdict.next === "unlock")) {
    text.details.push(
      `:: Or have what ${helper} installs built into system extensions instead:`,
      `    set 'Policy = redirect' in ${GUARD_CONFIG_PATH}`
    );
  }
  return text;
}
function refusal(verdict, engagement, program, args, sudo, sudoForCommand) {
  const refused = shownCommandLine(program, args);
  const again = isShortened(args) ? `${program} \u2026 (the same command, ${count(args.length)} arguments)` : commandLine(program, args);
  if (!engagement.known) {
    return {
      message: `refusing '${refused}' (${verdict.action}): ${verdict.reason}`,
      details: [
        "  pacman-guard refuses changes when it cannot tell the state of the system.",
        ":: Find out what is wrong with:",
        "    guard status",
        "    guard doctor"
      ]
    };
  }
  const details = [];
  for (const merged of engagement.merged) {
    const names = merged.extensions.length > 0 ? merged.extensions.join(", ") : "unnamed extensions";
    details.push(`  ${merged.hierarchy}: ${names}${formatSince(merged.since)}${merged.mutable ? ", mutable" : ""}`);
  }
  if (engagement.locked) details.push(`  ${engagement.dbPath}: read-only (locked)`);
  const next = verdict.next ?? "update";
  if (next === "update") for (const entry of engagement.readOnly ?? []) details.push(`  ${entry.description}`);
  details.push(...nextStepLines(next, program, args, again, sudo, sudoForCommand));
  return { message: `refusing '${refused}' (${verdict.action}): ${why(verdict, engagement, program)}`, details };
}
function why(verdict, engagement, program) {
  if (verdict.next === "wait-for-update" || verdict.next === "finish-update") return verdict.reason;
  if (engagement.merged.length > 0) return `system extensions are merged, so ${program} would change the image under them`;
  const readOnly = engagement.readOnly ?? [];
  if (verdict.next === "update" && readOnly.length > 0) {
    return `${readOnly.map((entry) => entry.description).join(" and ")}, so ${program} cannot write package files there`;
  }
  return "pacman's database is locked read-only";
}
function nextStepLines(next, program, args, again, sudo, sudoForCommand) {
  switch (next) {
    case "inspect":
      return [":: Find out what is wrong with:", "    guard status", "    guard doctor"];
    case "wait-for-update":
      return [":: Let it finish, then run this again; see what it does with:", "    guard status"];
    case "finish-update":
      return [":: Finish it first: it puts the lock and the merged extensions back as they were:", `    ${sudo}guard update --finish`];
    case "unlock":
      return [
        ":: Nothing is merged: unlock the database, run it, and lock it again:",
        `    ${sudo}guard unlock`,
        `    ${sudoForCommand}${again}`,
        `    ${sudo}guard lock`
      ];
    case "update":
      if (program !== "pacman") {
        return [
          ":: To change the base system, build the packages, then install them in guard update's maintenance window:",
          `    ${sudo}guard update -U ./NAME-VERSION-ARCH.pkg.tar.zst`
        ];
      }
      return [
        ":: To change the base system, run it in guard update's maintenance window:",
        `    ${sudo}${isShortened(args) ? `guard update \u2026 (the same ${count(args.length)} arguments)` : commandLine("guard", ["update", ...args])}`
      ];
  }
}

export {
  commandLine,
  refusalText,
  helperRefusalText
};
//# sourceMappingURL=chunk-FBLWSKTN.js.map
