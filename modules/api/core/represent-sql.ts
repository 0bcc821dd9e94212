import type { RawBuilder } from "kysely";
import { sql } from "@/lib/db";
import { fieldKinds, objectName, type ObjectType } from "./representation";

/**
 * represent() written in SQL: the record as compact JSON text, field for
 * field as represent() writes it (timestamps as ISO 8601 UTC with
 * milliseconds, dates as YYYY-MM-DD, integers as numbers). API lists read
 * their pages this way: parsing 50 wide rows into objects, reshaping and
 * serialising them again cost several times the query itself.
 * modules/api/represent-sql.int.test.ts holds the two to the same output.
 */
export function representedJson(objectType: ObjectType, alias: string): RawBuilder<string> {
  const columns = Object.entries(fieldKinds(objectType)).map(([name, kind]) => {
    const col = `${alias}.${name}`;
    const expr =
      kind === "timestamp"
        ? `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
        : kind === "date"
          ? `to_char(${col}, 'YYYY-MM-DD')`
          : kind === "caller" || kind === "callee"
            ? `case when (${alias}.direction = 'inbound') = ${kind === "caller"} then ${alias}.contact_number else ${alias}.org_number end`
            : col;
    return `${expr} as ${name}`;
  });
  // row_to_json of a one-row subselect: compact, in this order, with these names.
  return sql<string>`(select row_to_json(r)::text from (select ${sql.lit(objectName(objectType))} as object, ${sql.raw(columns.join(", "))}) r)`;
}
