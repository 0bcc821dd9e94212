// The shape of the code, checked on every import: each module is reached only
// through its faces (index.ts for server code, ui.ts for what a browser may
// load, edge.ts for code Edge Functions run), lib/ never imports a module,
// nothing a browser loads reaches a server face, faces only re-export, and
// modules do not import each other in a circle. See modules/README.md.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const FACES = ["index.ts", "ui.ts", "edge.ts"];

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts") && !/\.test\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

/**
 * Code that ships in the Next app. Not checked: tests, benchmarks, the local
 * runtime, Edge Functions (Deno, which import the web-standard files they run)
 * and server.ts (plain Node, which imports the API router file itself: a face
 * would load the module's pages and their CSS, which only Next can).
 */
const files = [...["app", "components", "lib", "modules"].flatMap((d) => walk(path.join(root, d))), path.join(root, "proxy.ts")];
const rel = (f: string) => path.relative(root, f);

/** `modules/<area>`, or `modules/crm/<area>` for the CRM's areas; null outside modules/. */
function moduleOf(file: string): string | null {
  const parts = rel(file).split(path.sep);
  if (parts[0] !== "modules") return null;
  return (parts[1] === "crm" ? parts.slice(0, 3) : parts.slice(0, 2)).join("/");
}

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? path.join(root, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : null;
  if (!base) return null;
  for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return null;
}

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function parse(file: string) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const imports: Import[] = [];
  const visit = (n: ts.Node) => {
    let spec: string | undefined;
    let typeOnly = false;
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      spec = n.moduleSpecifier.text;
      if (ts.isImportDeclaration(n)) {
        const clause = n.importClause;
        const named = clause?.namedBindings;
        typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly)));
      } else typeOnly = n.isTypeOnly;
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(n.arguments[0])) {
      spec = n.arguments[0].text;
    }
    const to = spec && resolve(file, spec);
    if (to) imports.push({ from: file, to, typeOnly });
    ts.forEachChild(n, visit);
  };
  visit(source);
  const first = source.statements[0];
  const directive = first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) ? first.expression.text : null;
  return { source, imports, directive };
}

const parsed = new Map(files.map((f) => [f, parse(f)]));
const imports = [...parsed.values()].flatMap((p) => p.imports);
const crossing = imports.filter((i) => moduleOf(i.to) && moduleOf(i.to) !== moduleOf(i.from));
const isFace = (file: string) => FACES.includes(path.relative(path.join(root, moduleOf(file)!), file));
const line = (i: Import) => `${rel(i.from)} → ${rel(i.to)}`;

describe("module faces", () => {
  it("every import from outside a module reaches one of its faces", () => {
    expect(crossing.filter((i) => !isFace(i.to)).map(line)).toEqual([]);
  });

  it("lib/ imports no module", () => {
    expect(imports.filter((i) => rel(i.from).startsWith("lib/") && moduleOf(i.to)).map(line)).toEqual([]);
  });

  it("nothing a browser loads reaches a server face, except for types", () => {
    // A face is a barrel: loading it loads every file it re-exports. The browser
    // loads each client component and what it imports, up to server action files.
    const loaded = new Set<string>();
    const load = (f: string) => {
      if (loaded.has(f) || !parsed.has(f) || parsed.get(f)!.directive === "use server") return;
      loaded.add(f);
      for (const i of parsed.get(f)!.imports) if (!i.typeOnly) load(i.to);
    };
    for (const [f, p] of parsed) if (p.directive === "use client") load(f);
    const wrong = imports.filter((i) => loaded.has(i.from) && !i.typeOnly && moduleOf(i.to) && rel(i.to).endsWith("/index.ts") && isFace(i.to));
    expect(wrong.map(line)).toEqual([]);
  });

  it("a face only states what its module offers: re-exports of the module's own files", () => {
    const faces = files.filter((f) => moduleOf(f) && isFace(f));
    expect(faces.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    for (const face of faces) {
      for (const s of parsed.get(face)!.source.statements) {
        const spec = ts.isExportDeclaration(s) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : null;
        const target = spec && resolve(face, spec);
        if (!target || moduleOf(target) !== moduleOf(face) || isFace(target)) wrong.push(`${rel(face)}: ${s.getText().slice(0, 80)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("no two modules import each other, directly or around a circle", () => {
    const edges = new Map<string, Set<string>>();
    for (const i of crossing) {
      const from = moduleOf(i.from);
      if (from) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(moduleOf(i.to)!);
    }
    const circles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (m: string, trail: string[]) => {
      if (state.get(m) === "done") return;
      if (state.get(m) === "open") {
        circles.push([...trail.slice(trail.indexOf(m)), m].join(" → "));
        return;
      }
      state.set(m, "open");
      for (const n of edges.get(m) ?? []) visit(n, [...trail, m]);
      state.set(m, "done");
    };
    for (const m of edges.keys()) visit(m, []);
    expect(circles).toEqual([]);
  });
});
