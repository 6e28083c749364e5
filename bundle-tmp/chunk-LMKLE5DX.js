// src/policy/target-list.ts
var SHOWN_ARGUMENTS = 40;
function count(value) {
  return value.toLocaleString("en-US");
}
function shownWords(words, quote, limit = SHOWN_ARGUMENTS) {
  const shown = words.slice(0, limit).map(quote);
  if (words.length > limit) shown.push(`\u2026 and ${count(words.length - limit)} more`);
  return shown.join(" ");
}
function isShortened(words, limit = SHOWN_ARGUMENTS) {
  return words.length > limit;
}

export {
  count,
  shownWords,
  isShortened
};
//# sourceMappingURL=chunk-LMKLE5DX.js.map
