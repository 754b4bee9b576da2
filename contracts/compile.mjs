#!/usr/bin/env node
// Compile contracts/src/*.sol with solc-js (standard JSON, in-process) and write one artifact per
// contract to contracts/artifacts/<Name>.json (or to the directory given by --out <dir>).
// Output is stable (sorted keys, 2-space indent, trailing newline): re-running on unchanged sources
// gives byte-identical files, so the committed artifacts can be checked against the sources in CI.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const solc = require("solc");

const COMPILER = "0.8.37";
const EVM_VERSION = "prague";

function parseArgs(argv) {
  let out = path.join(HERE, "artifacts");
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out" && i + 1 < argv.length) out = path.resolve(argv[++i]);
    else if (argv[i].startsWith("--out=")) out = path.resolve(argv[i].slice("--out=".length));
    else throw new Error(`unknown argument: ${argv[i]} (usage: node compile.mjs [--out <dir>])`);
  }
  return { out };
}

function findImports(importPath) {
  const candidates = [path.join(HERE, importPath), path.join(HERE, "node_modules", importPath)];
  for (const file of candidates) {
    if (fs.existsSync(file)) return { contents: fs.readFileSync(file, "utf8") };
  }
  return { error: `File not found: ${importPath}` };
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value;
}

function main() {
  const { out } = parseArgs(process.argv.slice(2));
  if (!solc.version().startsWith(COMPILER + "+")) {
    throw new Error(`expected solc ${COMPILER}, found ${solc.version()} (run npm ci in contracts/)`);
  }
  const srcDir = path.join(HERE, "src");
  const files = fs.readdirSync(srcDir).filter((f) => f.endsWith(".sol")).sort();
  if (files.length === 0) throw new Error(`no .sol files in ${srcDir}`);
  const sources = Object.fromEntries(
    files.map((f) => [`src/${f}`, { content: fs.readFileSync(path.join(srcDir, f), "utf8") }]),
  );
  const input = {
    language: "Solidity",
    sources,
    settings: {
      evmVersion: EVM_VERSION,
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const diagnostics = output.errors ?? [];
  // Print errors and our own warnings in full; only count warnings inside dependencies (OpenZeppelin).
  let dependencyWarnings = 0;
  for (const d of diagnostics) {
    const file = d.sourceLocation?.file ?? "";
    if (d.severity === "error" || !file || file.startsWith("src/")) {
      process.stderr.write((d.formattedMessage ?? d.message) + "\n");
    } else dependencyWarnings++;
  }
  if (dependencyWarnings) process.stderr.write(`(${dependencyWarnings} warnings in dependencies not shown)\n`);
  if (diagnostics.some((d) => d.severity === "error")) {
    throw new Error("compilation failed");
  }
  fs.mkdirSync(out, { recursive: true });
  let written = 0;
  for (const source of Object.keys(sources)) {
    for (const [name, contract] of Object.entries(output.contracts?.[source] ?? {})) {
      const artifact = {
        contractName: name,
        abi: contract.abi,
        bytecode: contract.evm.bytecode.object,
        deployedBytecode: contract.evm.deployedBytecode.object,
        compiler: COMPILER,
        evmVersion: EVM_VERSION,
      };
      fs.writeFileSync(path.join(out, `${name}.json`), JSON.stringify(sortKeys(artifact), null, 2) + "\n");
      written++;
    }
  }
  if (written === 0) throw new Error("no contracts in the compiler output");
  process.stdout.write(`wrote ${written} artifacts to ${out}\n`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`compile.mjs: ${err.message}\n`);
  process.exit(1);
}
