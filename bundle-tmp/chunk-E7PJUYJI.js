import {
  GuardError
} from "./chunk-63T2ULCU.js";

// src/ui/output.ts
function shouldColor(inputs) {
  if (inputs.flag === "always") return true;
  if (inputs.flag === "never") return false;
  if (inputs.flag !== "auto" && !inputs.pacmanConfColor) return false;
  if (inputs.noColorEnv) return false;
  return inputs.isTTY;
}
var STYLES = {
  bold: "\x1B[0;1m",
  boldRed: "\x1B[1;31m",
  boldYellow: "\x1B[1;33m",
  boldBlue: "\x1B[1;34m",
  reset: "\x1B[0m"
};
function createOutput(options) {
  const style = (code) => options.color ? code : "";
  const [bold, boldRed, boldYellow, boldBlue, reset] = [STYLES.bold, STYLES.boldRed, STYLES.boldYellow, STYLES.boldBlue, STYLES.reset].map(style);
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const write = (stream, text) => stream.write(`${text}
`);
  const colon = (text) => `${boldBlue}::${bold} ${text}${reset}`;
  const detail = (text) => text.startsWith(":: ") ? colon(text.slice(3)) : text;
  return {
    color: options.color,
    // As pacman's pm_asprintf: the prefix coloured, its trailing space included, then the message plain.
    error(message, ...details) {
      write(err, `${boldRed}error: ${reset}${message}`);
      for (const text of details) write(err, detail(text));
    },
    warning(message, ...details) {
      write(err, `${boldYellow}warning: ${reset}${message}`);
      for (const text of details) write(err, detail(text));
    },
    heading(text) {
      write(out, colon(text));
    },
    line(text = "") {
      write(out, text);
    },
    bold(text) {
      return `${bold}${text}${reset}`;
    }
  };
}

// src/cli/global-options.ts
var COLOR_SETTINGS = ["never", "auto", "always"];
function parseColorSetting(value, option = "--color") {
  if (value !== void 0 && COLOR_SETTINGS.includes(value)) return value;
  throw new GuardError(`invalid argument '${value ?? ""}' for ${option}`, {
    exitCode: 2 /* Usage */,
    hints: ["  expected one of: never, auto, always"]
  });
}
function splitGlobalOptions(argv) {
  let color;
  let help = false;
  let version = false;
  let index = 0;
  for (; index < argv.length; index++) {
    const word = argv[index];
    if (word === "-h" || word === "--help") help = true;
    else if (word === "-V" || word === "--version") version = true;
    else if (word === "--color") color = parseColorSetting(argv[++index]);
    else if (word.startsWith("--color=")) color = parseColorSetting(word.slice("--color=".length));
    else if (word.startsWith("-")) {
      throw new GuardError(`invalid option '${word}'`, { exitCode: 2 /* Usage */, hints: ["  run 'guard --help' for usage"] });
    } else break;
  }
  const command = argv[index];
  return { ...color ? { color } : {}, help, version, ...command === void 0 ? {} : { command }, rest: argv.slice(index + 1) };
}
async function resolveColor(flag, environment, pacmanConfig) {
  const isTTY = Boolean(environment.stdout.isTTY);
  const noColorEnv = environment.env.NO_COLOR;
  const inputs = { ...flag ? { flag } : {}, ...noColorEnv ? { noColorEnv } : {}, isTTY };
  if (flag || noColorEnv || !isTTY) return shouldColor(inputs);
  const { readPacmanColor } = await import("./pacman-color-LXBQPXIX.js");
  return shouldColor({ ...inputs, pacmanConfColor: await readPacmanColor(pacmanConfig) });
}

export {
  createOutput,
  splitGlobalOptions,
  resolveColor
};
//# sourceMappingURL=chunk-E7PJUYJI.js.map
