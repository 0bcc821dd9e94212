import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import { exampleOf, fieldRows, type JsonSchema, type Method, type ReferenceGroup, type ReferenceOperation, typeLabel } from "../document";

/** Descriptions use `code` spans and blank-line paragraphs, nothing more. */
export function Prose({ text, className }: { text?: string; className?: string }) {
  if (!text) return null;
  return (
    <div className={cn("grid gap-2 text-sm", className)}>
      {text.split(/\n{2,}/).map((para, i) => (
        <p key={i}>
          {para.split(/(`[^`]+`)/g).map((part, j) =>
            part.startsWith("`") && part.endsWith("`") && part.length > 1 ? (
              <code key={j} className="rounded bg-muted px-1 py-0.5 font-mono text-[0.85em]">
                {part.slice(1, -1)}
              </code>
            ) : (
              part
            ),
          )}
        </p>
      ))}
    </div>
  );
}

const METHOD_STYLE: Record<Method, string> = {
  get: "text-emerald-800 dark:text-emerald-300",
  post: "text-blue-800 dark:text-blue-300",
  put: "text-amber-800 dark:text-amber-300",
  patch: "text-amber-800 dark:text-amber-300",
  delete: "text-red-800 dark:text-red-300",
};

export function MethodBadge({ method }: { method: Method }) {
  return (
    <Badge variant="outline" className={cn("w-14 justify-center font-mono uppercase", METHOD_STYLE[method])}>
      {method}
    </Badge>
  );
}

/** A block of code that scrolls sideways; focusable so keyboard users can scroll it. */
export function Code({ children, label }: { children: string; label: string }) {
  return (
    <figure className="grid min-w-0 gap-1">
      <figcaption className="text-xs font-medium text-muted-foreground">{label}</figcaption>
      <pre tabIndex={0} className="max-h-96 overflow-auto rounded-md border bg-muted/50 p-3 font-mono text-xs leading-relaxed">
        {children}
      </pre>
    </figure>
  );
}

function Fields({ schema, caption }: { schema: JsonSchema; caption: string }) {
  const rows = fieldRows(schema);
  if (rows.length === 0) return <p className="text-sm text-muted-foreground">{typeLabel(schema)}</p>;
  return (
    <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b text-left text-xs text-muted-foreground">
            <th scope="col" className="py-1.5 pr-4 font-medium">
              Field
            </th>
            <th scope="col" className="py-1.5 pr-4 font-medium">
              Type
            </th>
            <th scope="col" className="py-1.5 font-medium">
              Notes
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} className="border-b align-top last:border-0">
              <th scope="row" className="py-1.5 pr-4 text-left font-normal" style={{ paddingLeft: `${r.depth * 1}rem` }}>
                <code className="font-mono text-xs break-all">{r.name}</code>
                {r.required ? <span className="ml-1.5 text-xs text-destructive">required</span> : null}
              </th>
              <td className="py-1.5 pr-4 font-mono text-xs break-words text-muted-foreground">{r.type}</td>
              <td className="py-1.5 text-xs">
                {r.description ? <Prose text={r.description} className="text-xs" /> : null}
                {r.constraints.length ? <span className="text-muted-foreground">{r.constraints.join("; ")}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
    </table>
  );
}

function Parameters({ op }: { op: ReferenceOperation }) {
  if (op.parameters.length === 0) return null;
  return (
    <section className="grid gap-2">
      <h4 className="text-sm font-semibold">Parameters</h4>
      <table className="w-full text-sm">
          <caption className="sr-only">Parameters of {op.summary}</caption>
          <thead>
            <tr className="border-b text-left text-xs text-muted-foreground">
              <th scope="col" className="py-1.5 pr-4 font-medium">
                Name
              </th>
              <th scope="col" className="py-1.5 pr-4 font-medium">
                In
              </th>
              <th scope="col" className="py-1.5 pr-4 font-medium">
                Type
              </th>
              <th scope="col" className="py-1.5 font-medium">
                Description
              </th>
            </tr>
          </thead>
          <tbody>
            {op.parameters.map((p) => (
              <tr key={`${p.in}:${p.name}`} className="border-b align-top last:border-0">
                <th scope="row" className="py-1.5 pr-4 text-left font-normal whitespace-nowrap">
                  <code className="font-mono text-xs">{p.name}</code>
                  {p.required ? <span className="ml-1.5 text-xs text-destructive">required</span> : null}
                </th>
                <td className="py-1.5 pr-4 text-xs">{p.in}</td>
                <td className="py-1.5 pr-4 font-mono text-xs break-words text-muted-foreground">{typeLabel(p.schema)}</td>
                <td className="py-1.5 text-xs">
                  <Prose text={p.description} className="text-xs" />
                </td>
              </tr>
            ))}
          </tbody>
      </table>
    </section>
  );
}

function Responses({ op }: { op: ReferenceOperation }) {
  const success = op.responses.filter((r) => r.status.startsWith("2"));
  const errors = op.responses.filter((r) => !r.status.startsWith("2"));
  return (
    <section className="grid gap-2">
      <h4 className="text-sm font-semibold">Responses</h4>
      {success.map((r) => (
        <div key={r.status} className="grid gap-2">
          <p className="text-sm">
            <Badge variant="secondary" className="mr-2 font-mono">
              {r.status}
            </Badge>
            {r.description}
          </p>
          {r.schema && Object.keys(r.schema).length ? (
            <details className="rounded-md border px-3 py-2">
              <summary className="cursor-pointer text-sm font-medium">Response fields and example</summary>
              <div className="mt-3 grid gap-3">
                <Fields schema={r.schema} caption={`Fields of the ${r.status} response of ${op.summary}`} />
                <Code label="Example response">{JSON.stringify(exampleOf(r.schema), null, 2)}</Code>
              </div>
            </details>
          ) : null}
        </div>
      ))}
      {errors.length ? (
        <ul className="grid gap-1 text-sm">
          {errors.map((r) => (
            <li key={r.status}>
              <span className="mr-2 inline-block w-10 font-mono text-xs">{r.status}</span>
              <span className="text-muted-foreground">{r.description}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function OperationSection({ op }: { op: ReferenceOperation }) {
  return (
    <article id={op.anchor} aria-labelledby={`${op.anchor}-title`} className="grid scroll-mt-20 gap-4 border-t pt-6" data-testid="api-operation">
      <header className="grid gap-2">
        <h3 id={`${op.anchor}-title`} className="text-lg font-semibold">
          {op.summary}
        </h3>
        <div className="flex flex-wrap items-center gap-2">
          <MethodBadge method={op.method} />
          <code className="font-mono text-sm break-all">/api/v1{op.path}</code>
          <Badge variant="outline" className="font-mono">
            {op.scope ? `scope ${op.scope}` : "any key"}
          </Badge>
        </div>
      </header>
      <Prose text={op.description} className="text-muted-foreground" />
      <Parameters op={op} />
      {op.body ? (
        <section className="grid gap-2">
          <h4 className="text-sm font-semibold">Request body</h4>
          <p className="text-xs text-muted-foreground">JSON; fields not listed here are refused.</p>
          <Fields schema={op.body} caption={`Fields of the request body of ${op.summary}`} />
        </section>
      ) : null}
      <Responses op={op} />
      <Code label="Example request">{op.curl}</Code>
    </article>
  );
}

export function Contents({ groups }: { groups: ReferenceGroup[] }) {
  return (
    <nav aria-label="API reference contents" className="grid gap-3 text-sm">
      <a href="#overview" className="font-medium hover:underline">
        Overview
      </a>
      {groups.map((g) => (
        <div key={g.tag} className="grid gap-1">
          <a href={`#${g.anchor}`} className="font-medium hover:underline">
            {g.tag}
          </a>
          <ul className="grid gap-0.5 border-l pl-3">
            {g.operations.map((op) => (
              <li key={op.anchor}>
                <a href={`#${op.anchor}`} className="flex items-baseline gap-2 text-muted-foreground hover:text-foreground hover:underline">
                  <span className={cn("w-11 shrink-0 font-mono text-[0.7rem] uppercase", METHOD_STYLE[op.method])}>{op.method}</span>
                  <span className="min-w-0">{op.summary}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
