// Query cost in the spirit of Shopify's calculated query cost (https://shopify.dev/docs/api/usage/rate-limits):
// scalars and enums 0, objects 1, connections 2 + first × (cost of one node), each mutation 10. `nodes(ids:)` is a
// list of objects sized by its ids: each id costs what one object with that selection costs (requested), each object
// returned what it cost (actual; an unknown id returns null and costs nothing). Shopify's documentation states no rule
// for `nodes` (unconfirmed); this is the reading that never under-charges. On an interface the requested cost is the
// most expensive of its fragments ("Interface: maximum of possible selections").
import {
  Kind,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

type Ctx = {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
};

type Collected = { node: FieldNode; type: GraphQLNamedType | undefined; list: boolean; on: string | null };

/** The fields selected on `parent`; `on` names the concrete type a fragment narrowed to (null: any type). */
function collectFields(ctx: Ctx, ss: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined, on: string | null = null): Collected[] {
  const out: Collected[] = [];
  if (!ss || !parent) return out;
  for (const sel of ss.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith("__")) continue;
      const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
      const def = fields[sel.name.value];
      const wrapped = def ? (isNonNullType(def.type) ? def.type.ofType : def.type) : undefined;
      out.push({ node: sel, type: def ? getNamedType(def.type) : undefined, list: !!wrapped && isListType(wrapped), on });
    } else {
      const cond = sel.kind === Kind.INLINE_FRAGMENT ? sel.typeCondition?.name.value : ctx.fragments[sel.name.value]?.typeCondition.name.value;
      const ss2 = sel.kind === Kind.INLINE_FRAGMENT ? sel.selectionSet : ctx.fragments[sel.name.value]?.selectionSet;
      const t = cond ? ctx.schema.getType(cond) : parent;
      out.push(...collectFields(ctx, ss2, t ?? undefined, t && isObjectType(t) ? t.name : on));
    }
  }
  return out;
}

/** How many items a list field asks for through an `ids` argument (`nodes(ids:)`), or null. */
function idsCount(ctx: Ctx, field: FieldNode): number | null {
  const arg = field.arguments?.find((a) => a.name.value === "ids");
  if (!arg) return null;
  const v: ValueNode = arg.value;
  if (v.kind === Kind.LIST) return v.values.length;
  if (v.kind === Kind.VARIABLE) {
    const val = ctx.variables[v.name.value];
    return Array.isArray(val) ? val.length : 1;
  }
  return 1;
}

function intArg(ctx: Ctx, field: FieldNode, name: string): number | null {
  const arg = field.arguments?.find((a) => a.name.value === name);
  if (!arg) return null;
  const v: ValueNode = arg.value;
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.VARIABLE) {
    const val = ctx.variables[v.name.value];
    return typeof val === "number" ? val : null;
  }
  return null;
}

const isConnection = (t: GraphQLNamedType | undefined) => !!t && t.name.endsWith("Connection");

/** The node type and the selections made on a node (via `nodes` and `edges { node }`). */
function connectionParts(ctx: Ctx, field: FieldNode, connType: GraphQLNamedType) {
  const parts: { path: "nodes" | "edges"; ss: SelectionSetNode | undefined; type: GraphQLNamedType | undefined }[] = [];
  for (const c of collectFields(ctx, field.selectionSet, connType)) {
    if (c.node.name.value === "nodes") parts.push({ path: "nodes", ss: c.node.selectionSet, type: c.type });
    if (c.node.name.value === "edges") {
      for (const e of collectFields(ctx, c.node.selectionSet, c.type)) {
        if (e.node.name.value === "node") parts.push({ path: "edges", ss: e.node.selectionSet, type: e.type });
      }
    }
  }
  return parts;
}

function selectionCost(ctx: Ctx, ss: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined): number {
  const fields = collectFields(ctx, ss, parent);
  const costOf = (sel: Collected[]) => {
    let total = 0;
    for (const { node, type, list } of sel) {
      if (!type || isLeafType(type)) continue;
      if (isConnection(type)) {
        const n = intArg(ctx, node, "first") ?? intArg(ctx, node, "last") ?? 0;
        const child = connectionParts(ctx, node, type).reduce((s, p) => s + selectionCost(ctx, p.ss, p.type), 0);
        total += 2 + n * (1 + child);
      } else {
        const ids = list ? idsCount(ctx, node) : null;
        total += (ids ?? 1) * (1 + selectionCost(ctx, node.selectionSet, type));
      }
    }
    return total;
  };
  if (!parent || !isAbstractType(parent)) return costOf(fields);
  // Interface: the most expensive of the concrete types' selections.
  const types = new Set(fields.map((f) => f.on).filter((t): t is string => t !== null));
  const common = fields.filter((f) => f.on === null);
  return Math.max(costOf(common), ...[...types].map((t) => costOf(fields.filter((f) => f.on === null || f.on === t))));
}

function actualSelectionCost(ctx: Ctx, ss: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined, data: unknown): number {
  let total = 0;
  const obj = (data ?? {}) as Record<string, unknown>;
  const abstract = !!parent && isAbstractType(parent);
  for (const { node, type, list } of collectFields(ctx, ss, parent)) {
    if (!type || isLeafType(type)) continue;
    const key = node.alias?.value ?? node.name.value;
    // On an interface, a fragment for another type selected nothing on this object.
    if (abstract && !(key in obj)) continue;
    const value = obj[key];
    if (isConnection(type)) {
      const conn = (value ?? {}) as { nodes?: unknown[]; edges?: { node: unknown }[] };
      const parts = connectionParts(ctx, node, type);
      const count = Math.max(conn.nodes?.length ?? 0, conn.edges?.length ?? 0);
      let child = 0;
      for (let i = 0; i < count; i++) {
        child += 1;
        for (const p of parts) {
          const item = p.path === "nodes" ? conn.nodes?.[i] : conn.edges?.[i]?.node;
          child += actualSelectionCost(ctx, p.ss, p.type, item);
        }
      }
      total += 2 + child;
    } else if (Array.isArray(value) && list && idsCount(ctx, node) !== null) {
      // nodes(ids:): each object returned costs one object and its selection; a null (unknown id) nothing.
      total += value.reduce((s: number, item) => s + (item == null ? 0 : 1 + actualSelectionCost(ctx, node.selectionSet, type, item)), 0);
    } else if (Array.isArray(value)) {
      total += 1 + value.reduce((s: number, item) => s + actualSelectionCost(ctx, node.selectionSet, type, item), 0);
    } else {
      total += 1 + (value == null ? 0 : actualSelectionCost(ctx, node.selectionSet, type, value));
    }
  }
  return total;
}

export const MUTATION_COST = 10;

function rootFieldCount(ctx: Ctx, op: OperationDefinitionNode): number {
  return collectFields(ctx, op.selectionSet, ctx.schema.getMutationType() ?? undefined).length;
}

export function requestedQueryCost(
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  const ctx: Ctx = { schema, fragments, variables };
  if (op.operation === "mutation") return MUTATION_COST * rootFieldCount(ctx, op);
  return selectionCost(ctx, op.selectionSet, schema.getQueryType() ?? undefined);
}

export function actualQueryCost(
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data: unknown,
): number {
  const ctx: Ctx = { schema, fragments, variables };
  if (op.operation === "mutation") return MUTATION_COST * rootFieldCount(ctx, op);
  return actualSelectionCost(ctx, op.selectionSet, schema.getQueryType() ?? undefined, data);
}
