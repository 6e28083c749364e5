import {
  OPERATION_LETTERS,
  OPERATION_LONG_NAMES,
  PACMAN_VARIANTS,
  SHORT_OPTIONS,
  getoptSpecFor
} from "./chunk-4WA2TRF5.js";

// src/helpers/options.ts
var HELPER_NAMES = ["yay", "paru"];
var none = (...names) => Object.fromEntries(names.map((name) => [name, "none"]));
var required = (...names) => Object.fromEntries(names.map((name) => [name, "required"]));
var optional = (...names) => Object.fromEntries(names.map((name) => [name, "optional"]));
var YAY_TABLE = {
  helper: "yay",
  // isOp(): pacman's operations, -V/--version (an operation for yay), and these.
  operations: [
    ["version", "V", "version"],
    ["yay", "Y", "yay"],
    ["web", "W", "web"],
    ["build", "B", "build"],
    ["show", "P", "show"],
    ["getpkgbuild", "G", "getpkgbuild"]
  ],
  longOptions: {
    // hasParam(): the yay options that take an argument.
    ...required(
      "aururl",
      "aurrpcurl",
      "mflags",
      "gpgflags",
      "gitflags",
      "builddir",
      "editor",
      "editorflags",
      "makepkg",
      "makepkgconf",
      "pacman",
      "git",
      "gpg",
      "sudo",
      "sudoflags",
      "requestsplitn",
      "answerclean",
      "answerdiff",
      "answeredit",
      "answerupgrade",
      "completioninterval",
      "sortby",
      "searchby"
    ),
    // isArg(): the rest of yay's own options.
    ...none(
      "save",
      "afterclean",
      "cleanafter",
      "keepsrc",
      "devel",
      "timeupdate",
      "topdown",
      "bottomup",
      "redownload",
      "redownloadall",
      "noredownload",
      "rebuild",
      "rebuildall",
      "rebuildtree",
      "norebuild",
      "batchinstall",
      "noanswerclean",
      "noanswerdiff",
      "noansweredit",
      "noanswerupgrade",
      "nomakepkgconf",
      "sudoloop",
      "provides",
      "pgpfetch",
      "cleanmenu",
      "diffmenu",
      "editmenu",
      "useask",
      "combinedupgrade",
      "aur",
      "repo",
      "removemake",
      "noremovemake",
      "askremovemake",
      "askyesremovemake",
      "complete",
      "stats",
      "news",
      "gendb",
      "currentconfig",
      "defaultconfig",
      "singlelineresults",
      "doublelineresults",
      "separatesources",
      "numberupgrades"
    ),
    // -W's options as doc/yay.8 documents them (cmd.go handleWeb() reads "vote"/"unvote").
    ...none("vote", "unvote")
  },
  // -a/--aur, -N/--repo.
  shortOptions: none("a", "N"),
  // settings/args.go handleOption(): consumed by yay, never passed to pacman.
  passesToPacman: {
    kind: "all-but",
    names: [
      "aururl",
      "aurrpcurl",
      "save",
      "afterclean",
      "cleanafter",
      "keepsrc",
      "devel",
      "timeupdate",
      "topdown",
      "bottomup",
      "singlelineresults",
      "doublelineresults",
      "completioninterval",
      "sortby",
      "searchby",
      "redownload",
      "redownloadall",
      "noredownload",
      "rebuild",
      "rebuildall",
      "rebuildtree",
      "norebuild",
      "batchinstall",
      "answerclean",
      "noanswerclean",
      "answerdiff",
      "noanswerdiff",
      "answeredit",
      "noansweredit",
      "answerupgrade",
      "noanswerupgrade",
      "gpgflags",
      "mflags",
      "gitflags",
      "builddir",
      "editor",
      "editorflags",
      "makepkg",
      "makepkgconf",
      "nomakepkgconf",
      "pacman",
      "git",
      "gpg",
      "sudo",
      "sudoflags",
      "requestsplitn",
      "sudoloop",
      "provides",
      "pgpfetch",
      "cleanmenu",
      "diffmenu",
      "editmenu",
      "useask",
      "combinedupgrade",
      "a",
      "aur",
      "N",
      "repo",
      "removemake",
      "noremovemake",
      "askremovemake",
      "askyesremovemake",
      "separatesources"
    ]
  }
};
var PARU_TABLE = {
  helper: "paru",
  operations: [
    ["build", "B", "build"],
    ["show", "P", "show"],
    ["getpkgbuild", "G", "getpkgbuild"],
    ["repoctl", "L", "repoctl"],
    ["chrootctl", "C", "chrootctl"]
  ],
  longOptions: {
    // takes_value() Required.
    ...required(
      "aururl",
      "aurrpcurl",
      "makepkg",
      "pacman",
      "pacman-conf",
      "git",
      "gpg",
      "sudo",
      "pkgctl",
      "fm",
      "bat",
      "makepkgconf",
      "mflags",
      "gitflags",
      "gpgflags",
      "sudoflags",
      "batflags",
      "fmflags",
      "chrootflags",
      "chrootpkgs",
      "rootchrootpkgs",
      "completioninterval",
      "sortby",
      "searchby",
      "limit",
      "develsuffixes",
      "builddir",
      "clonedir",
      "develfile",
      "ignoredevel",
      "mode"
    ),
    // takes_value() Optional; --pager reads a value it never consumes, so only --pager=CMD works.
    ...optional("removemake", "redownload", "rebuild", "sudoloop", "localrepo", "chroot", "provides", "sign", "signdb", "pager"),
    // handle_arg()'s other arms, and PACMAN_FLAGS' names that are not pacman's.
    ...none(
      "installdebug",
      "noinstalldebug",
      "news",
      "stats",
      "order",
      "upgrademenu",
      "noupgrademenu",
      "noremovemake",
      "cleanafter",
      "nocleanafter",
      "noredownload",
      "norebuild",
      "topdown",
      "bottomup",
      "aur",
      "repo",
      "pkgbuilds",
      "interactive",
      "skipreview",
      "review",
      "gendb",
      "nocheck",
      "devel",
      "nodevel",
      "noprovides",
      "pgpfetch",
      "nopgpfetch",
      "useask",
      "nouseask",
      "savechanges",
      "nosavechanges",
      "combinedupgrade",
      "nocombinedupgrade",
      "batchinstall",
      "nobatchinstall",
      "nosudoloop",
      "optional",
      "complete",
      "install",
      "delete",
      "noinstall",
      "newsonupgrade",
      "nonewsonupgrade",
      "comments",
      "ssh",
      "failfast",
      "nofailfast",
      "keepsrc",
      "nokeepsrc",
      "nolocalrepo",
      "nochroot",
      "nokeeprepocache",
      "keeprepocache",
      "nosign",
      "nosigndb",
      "absdir",
      "asdep",
      "asexp"
    )
  },
  shortOptions: none("a"),
  // args.rs: PACMAN_FLAGS and PACMAN_GLOBALS are pacman's options (without
  // --version and the operations) and these.
  passesToPacman: { kind: "only-pacman-and", names: ["absdir", "asdep", "asexp", "optional"] }
};
var HELPER_TABLES = { yay: YAY_TABLE, paru: PARU_TABLE };
function pacmanLongOptions() {
  const options = /* @__PURE__ */ new Map();
  for (const variant of PACMAN_VARIANTS) {
    for (const option of getoptSpecFor(variant).longOptions) options.set(option.name, option.argument);
  }
  return options;
}
function pacmanShortOptions() {
  const options = /* @__PURE__ */ new Map();
  for (let index = 0; index < SHORT_OPTIONS.length; index++) {
    const letter = SHORT_OPTIONS[index];
    if (letter === ":") continue;
    options.set(letter, SHORT_OPTIONS[index + 1] === ":" ? "required" : "none");
  }
  return options;
}
var PACMAN_OPERATION_NAMES = /* @__PURE__ */ new Set([...Object.keys(OPERATION_LETTERS), ...Object.values(OPERATION_LONG_NAMES)]);
function compile(table) {
  const longOptions = pacmanLongOptions();
  const shortOptions = pacmanShortOptions();
  const operations = /* @__PURE__ */ new Map();
  for (const [letter, operation] of Object.entries(OPERATION_LETTERS)) {
    operations.set(letter, operation);
    operations.set(OPERATION_LONG_NAMES[operation], operation);
  }
  for (const [operation, short, long] of table.operations) {
    operations.set(short, operation);
    operations.set(long, operation);
    shortOptions.set(short, "none");
    longOptions.set(long, "none");
  }
  for (const [name, argument] of Object.entries(table.longOptions)) longOptions.set(name, argument);
  for (const [name, argument] of Object.entries(table.shortOptions)) shortOptions.set(name, argument);
  const pacmanNames = /* @__PURE__ */ new Set([...pacmanLongOptions().keys(), ...pacmanShortOptions().keys()]);
  const passes = table.passesToPacman;
  const passesToPacman = passes.kind === "all-but" ? (name) => !passes.names.includes(name) && !operations.has(name) : (name) => pacmanNames.has(name) && !PACMAN_OPERATION_NAMES.has(name) && name !== "version" && name !== "V" || passes.names.includes(name);
  return { table, longOptions, shortOptions, operations, passesToPacman };
}
var specs = new Map(HELPER_NAMES.map((helper) => [helper, compile(HELPER_TABLES[helper])]));
function helperSpec(helper) {
  return specs.get(helper);
}

export {
  HELPER_NAMES,
  helperSpec
};
//# sourceMappingURL=chunk-YPDJNW7G.js.map
