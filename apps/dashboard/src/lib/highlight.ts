import bash from "refractor/bash";
import { refractor } from "refractor/core";
import css from "refractor/css";
import javascript from "refractor/javascript";
import json from "refractor/json";
import jsx from "refractor/jsx";
import markdown from "refractor/markdown";
import python from "refractor/python";
import tsx from "refractor/tsx";
import typescript from "refractor/typescript";
import yaml from "refractor/yaml";

// A few common grammars keep the bundle small; other files are shown without colours.
for (const grammar of [bash, css, javascript, json, jsx, markdown, python, typescript, tsx, yaml]) {
  refractor.register(grammar);
}

const BY_EXTENSION: Readonly<Record<string, string>> = {
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  jsx: "jsx",
  ts: "typescript",
  mts: "typescript",
  cts: "typescript",
  tsx: "tsx",
  json: "json",
  jsonc: "json",
  css: "css",
  md: "markdown",
  py: "python",
  sh: "bash",
  bash: "bash",
  yml: "yaml",
  yaml: "yaml",
};

/** The grammar for a path, by its extension, or undefined. */
export function languageOf(path: string): string | undefined {
  const dot = path.lastIndexOf(".");
  return dot === -1 ? undefined : BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}

/** refractor 5 answers a hast root; react-diff-view's tokenizer wants its children. */
export const highlighter = {
  highlight: (text: string, language: string) => refractor.highlight(text, language).children,
};
