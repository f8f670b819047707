// Many rows in one INSERT with one parameter: the rows as a JSON array, unpacked by PostgreSQL's json_to_recordset
// with the column types of the schema. Building it costs one JSON.stringify, where drizzle's multi-row insert walks
// every value of every row (that was the largest CPU cost of importing a batch of orders), and the statement's text is
// the same for every batch size, so PostgreSQL parses one shape.
// https://www.postgresql.org/docs/current/functions-json.html (json_to_recordset)
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

export type BulkInsert<T extends PgTable> = {
  table: T;
  /** The columns written, by their schema keys; each row must hold a JSON-serialisable value for every key. */
  keys: readonly (keyof T["$inferInsert"] & string)[];
  rows: readonly Partial<Record<keyof T["$inferInsert"] & string, unknown>>[];
  /** Values written the same for every row (e.g. the shop id), by schema key. */
  constants?: Partial<Record<keyof T["$inferInsert"] & string, unknown>>;
  /** Raw SQL after the SELECT: ON CONFLICT …, RETURNING …. */
  tail?: SQL;
};

export function bulkInsert<T extends PgTable>(spec: BulkInsert<T>): SQL {
  const columns = getTableColumns(spec.table) as Record<string, { name: string; getSQLType(): string }>;
  const column = (key: string) => {
    const c = columns[key];
    if (!c) throw new Error(`bulkInsert: no column ${key}`);
    return c;
  };
  const constants = Object.entries(spec.constants ?? {});
  const target = [...constants.map(([k]) => column(k).name), ...spec.keys.map((k) => column(k).name)].map((n) => `"${n}"`);
  // Record fields are named by schema key, so the rows are stringified as they are.
  const fields = spec.keys.map((k) => `"${k}" ${column(k).getSQLType()}`);
  const selected = [
    ...constants.map(([k, v]) => sql`${v}::${sql.raw(column(k).getSQLType())}`),
    ...spec.keys.map((k) => sql.raw(`x."${k}"`)),
  ];
  return sql`insert into ${spec.table} (${sql.raw(target.join(", "))})
    select ${sql.join(selected, sql`, `)}
    from json_to_recordset(${JSON.stringify(spec.rows)}::json) as x(${sql.raw(fields.join(", "))})
    ${spec.tail ?? sql``}`;
}
