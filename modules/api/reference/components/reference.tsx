import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import {
  exampleOf,
  fieldRows,
  type JsonSchema,
  type Method,
  type ReferenceGroup,
  type ReferenceObject,
  type ReferenceOperation,
  type Returns,
  typeLabel,
  REFERENCE_PATH as BASE,
} from "../document";

const groupHref = (slug: string, anchor?: string) => `${BASE}/${slug}${anchor ? `#${anchor}` : ""}`;

/** Descriptions use `code` spans and blank-line paragraphs, nothing more. */
export function Prose({ text, className }: { text?: string; className?: string }) {
  if (!text) return null;
  return (
    <div className={cn("grid gap-2 text-sm", className)}>
      {text.split(/\n{2,}/).map((para, i) => (
        <p key={i}>
          {para.split(/(`[^`]+`)/g).map((part, j) =>
            part.length > 2 && part.startsWith("`") && part.endsWith("`") ? <code key={j}>{part.slice(1, -1)}</code> : part,
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

// A schema can have hundreds of fields across the document: cells are styled
// from the table, so each row is plain markup.
const TABLE =
  "w-full text-xs [&_thead_th]:py-1.5 [&_thead_th]:pr-4 [&_thead_th]:text-left [&_thead_th]:font-medium [&_thead_th]:text-muted-foreground " +
  "[&_tbody_tr]:border-t [&_tbody_tr]:align-top [&_tbody_th]:py-1.5 [&_tbody_th]:pr-4 [&_tbody_th]:text-left [&_tbody_th]:font-normal " +
  "[&_td]:py-1.5 [&_td]:pr-4 [&_.t]:font-mono [&_.t]:break-words [&_.t]:text-muted-foreground " +
  "[&_tbody_th_code]:font-mono [&_tbody_th_code]:break-words [&_tbody_th_span]:ml-1.5 [&_tbody_th_span]:text-destructive " +
  "[&_.d1]:pl-4 [&_.d2]:pl-8 [&_small]:text-muted-foreground";

/** A schema's fields; `required` marks matter for what the caller sends, not for what it gets back. */
function Fields({ schema, caption, input }: { schema: JsonSchema; caption: string; input?: boolean }) {
  const rows = fieldRows(schema);
  if (rows.length === 0) return <p className="font-mono text-xs text-muted-foreground">{typeLabel(schema)}</p>;
  return (
    <table className={TABLE}>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Type</th>
          <th scope="col">Notes</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <th scope="row" className={r.depth ? `d${Math.min(r.depth, 2)}` : undefined}>
              <code>{r.name}</code>
              {input && r.required ? <span>required</span> : null}
            </th>
            <td className="t">{r.type}</td>
            <td>
              {r.description ? <Prose text={r.description} className="text-xs" /> : null}
              {r.constraints.length ? <small>{r.constraints.join("; ")}</small> : null}
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
      <h3 className="text-sm font-semibold">Parameters</h3>
      <table className={TABLE}>
        <caption className="sr-only">Parameters of {op.summary}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">In</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {op.parameters.map((p) => (
            <tr key={`${p.in}:${p.name}`}>
              <th scope="row">
                <code>{p.name}</code>
                {p.required ? <span>required</span> : null}
              </th>
              <td className="t">{typeLabel(p.schema)}</td>
              <td>{p.in}</td>
              <td>
                <Prose text={p.description} className="text-xs" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ReturnsLine({ returns }: { returns: Returns }) {
  if (returns.kind === "other") {
    return (
      <details className="rounded-md border px-3 py-2">
        <summary className="cursor-pointer text-sm font-medium">Response fields and example</summary>
        <div className="mt-3 grid gap-3">
          <Fields schema={returns.schema} caption="Response fields" />
          <Code label="Example response">{JSON.stringify(exampleOf(returns.schema), null, 2)}</Code>
        </div>
      </details>
    );
  }
  const link = (
    <a href={groupHref(returns.group, returns.anchor)} className="font-medium underline underline-offset-4">
      {returns.object} object
    </a>
  );
  return returns.kind === "object" ? (
    <p className="text-sm">Returns the {link}.</p>
  ) : (
    <p className="text-sm">
      Returns a page: <code>{"{ data: [...], next_cursor }"}</code>, each item a {link}; <code>next_cursor</code> is null on the last
      page.
    </p>
  );
}

function Responses({ op }: { op: ReferenceOperation }) {
  const success = op.responses.filter((r) => r.status.startsWith("2"));
  const errors = op.responses.filter((r) => !r.status.startsWith("2"));
  return (
    <section className="grid gap-2">
      <h3 className="text-sm font-semibold">Responses</h3>
      {success.map((r) => (
        <div key={r.status} className="grid gap-2">
          <p className="text-sm">
            <Badge variant="secondary" className="mr-2 font-mono">
              {r.status}
            </Badge>
            {r.description}
          </p>
          {r.returns ? <ReturnsLine returns={r.returns} /> : null}
        </div>
      ))}
      {errors.length ? (
        <p className="text-xs text-muted-foreground">
          Errors:{" "}
          {errors.map((r, i) => (
            <span key={r.status}>
              {i ? ", " : ""}
              <abbr title={r.description} className="font-mono no-underline">
                {r.status}
              </abbr>
            </span>
          ))}{" "}
          (see{" "}
          <a href={`${BASE}#errors`} className="underline underline-offset-4">
            Errors
          </a>
          )
        </p>
      ) : null}
    </section>
  );
}

export function OperationSection({ op }: { op: ReferenceOperation }) {
  return (
    <article
      id={op.anchor}
      aria-labelledby={`${op.anchor}-title`}
      className="grid min-w-0 scroll-mt-20 gap-4 border-t pt-6 [&_code]:font-mono"
      data-testid="api-operation"
    >
      <header className="grid gap-2">
        <h2 id={`${op.anchor}-title`} className="text-lg font-semibold">
          {op.summary}
        </h2>
        <div className="flex flex-wrap items-center gap-2">
          <MethodBadge method={op.method} />
          <code className="text-sm break-all">/api/v1{op.path}</code>
          <Badge variant="outline" className="font-mono">
            {op.scope ? `scope ${op.scope}` : "any key"}
          </Badge>
        </div>
      </header>
      <Prose text={op.description} className="text-muted-foreground" />
      <Parameters op={op} />
      {op.body ? (
        <section className="grid gap-2">
          <h3 className="text-sm font-semibold">Request body</h3>
          <p className="text-xs text-muted-foreground">JSON; fields not listed here are refused.</p>
          <Fields schema={op.body} caption={`Fields of the request body of ${op.summary}`} input />
        </section>
      ) : null}
      <Responses op={op} />
      <Code label="Example request">{op.curl}</Code>
    </article>
  );
}

export function ObjectSection({ object }: { object: ReferenceObject }) {
  return (
    <article id={object.anchor} aria-labelledby={`${object.anchor}-title`} className="grid min-w-0 scroll-mt-20 gap-3 [&_code]:font-mono">
      <h2 id={`${object.anchor}-title`} className="text-lg font-semibold">
        The {object.name} object
      </h2>
      <Fields schema={object.schema} caption={`Fields of the ${object.name} object`} />
      <details className="rounded-md border px-3 py-2">
        <summary className="cursor-pointer text-sm font-medium">Example</summary>
        <div className="mt-3">
          <Code label={`Example ${object.name}`}>{JSON.stringify(exampleOf(object.schema), null, 2)}</Code>
        </div>
      </details>
    </article>
  );
}

export function ErrorsTable({ errors }: { errors: { status: string; description: string }[] }) {
  return (
    <table className={TABLE}>
      <caption className="sr-only">Error statuses</caption>
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Meaning</th>
        </tr>
      </thead>
      <tbody>
        {errors.map((e) => (
          <tr key={e.status}>
            <th scope="row">
              <code>{e.status}</code>
            </th>
            <td>
              <Prose text={e.description} className="text-xs" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every group and operation; the current group's links stay on its page. */
export function Contents({ groups, current }: { groups: ReferenceGroup[]; current?: string }) {
  return (
    <nav aria-label="API reference contents" className="grid gap-3 text-sm">
      <ul className="grid gap-1 font-medium">
        <li>
          <a href={BASE} aria-current={current ? undefined : "page"} className="hover:underline">
            Overview
          </a>
        </li>
        <li>
          <a href={`${BASE}#errors`} className="hover:underline">
            Errors
          </a>
        </li>
      </ul>
      {groups.map((g) => (
        <div key={g.slug} className="grid gap-1">
          <a href={groupHref(g.slug)} aria-current={g.slug === current ? "page" : undefined} className="font-medium hover:underline aria-[current=page]:text-primary">
            {g.tag}
          </a>
          <ul className="grid gap-0.5 border-l pl-3">
            {g.objects.map((o) => (
              <li key={o.anchor}>
                <a href={groupHref(g.slug, o.anchor)} className="text-muted-foreground hover:text-foreground hover:underline">
                  The {o.name} object
                </a>
              </li>
            ))}
            {g.operations.map((op) => (
              <li key={op.anchor}>
                <a
                  href={groupHref(g.slug, op.anchor)}
                  className="flex items-baseline gap-2 text-muted-foreground hover:text-foreground hover:underline"
                >
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

/** The overview's index: every operation of a group on one line, linking to it. */
export function GroupIndex({ group }: { group: ReferenceGroup }) {
  return (
    <ul className="grid gap-1 text-sm">
      {group.operations.map((op) => (
        <li key={op.anchor}>
          <a
            href={groupHref(group.slug, op.anchor)}
            data-testid="api-operation-link"
            className="grid grid-cols-[3.5rem_minmax(0,1fr)] items-baseline gap-x-2 hover:underline sm:grid-cols-[3.5rem_minmax(0,20rem)_minmax(0,1fr)]"
          >
            <span className={cn("font-mono text-xs uppercase", METHOD_STYLE[op.method])}>{op.method}</span>
            <code className="text-xs break-all">{op.path}</code>
            <span className="col-start-2 text-muted-foreground sm:col-start-3">{op.summary}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}
