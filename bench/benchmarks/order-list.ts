// 4. order-list: the list loader's query (listOrders) on 100 000 orders of one shop among 10 shops, page 1 and page 200
// with a search term, against the same query written by hand through the same driver.
import type postgres from "postgres";
import type { Runtime } from "../../app/runtime.server";
import { listOrders } from "../../app/core/orders.server";
import { encodeCursor } from "../../app/core/keyset";
import { median, round } from "../lib/stats";
import type { BenchResult } from "../lib/result";

const SURNAMES = ["Jansen", "de Vries", "Bakker", "Visser", "Smit"];
const SEARCH = "jansen";
const PAGE = 50;

/** Inserts `count` orders for a shop with one multi-row INSERT … SELECT generate_series (fast, realistic columns). */
async function insertOrders(sql: postgres.Sql, shopId: number, count: number) {
  await sql`
    insert into orders (shop_id, platform_order_id, number, placed_at, platform_updated_at, status, financial_status,
                        customer_name, email, ship_to, ship_postcode, ship_city, ship_country, lines, item_count,
                        weight_grams, total_price, currency, search_text, raw)
    select ${shopId}, (6100000000000 + i)::text, '#' || (1000 + i),
           ts, ts, st, case when st = 'cancelled' then 'refunded' else 'paid' end,
           fn || ' ' || ln, lower(fn) || '.' || replace(lower(ln), ' ', '') || i || '@example.nl',
           jsonb_build_object('name', fn || ' ' || ln, 'address1', 'Keizersgracht ' || (i % 300 + 1), 'postcode', pc, 'city', 'Amsterdam', 'country', 'NL'),
           pc, 'Amsterdam', 'NL',
           jsonb_build_array(jsonb_build_object('sku', 'MOK-01', 'name', 'Mok', 'quantity', 1 + i % 3, 'weightGrams', 250)),
           1 + i % 3, 250 * (1 + i % 3), '24.95', 'EUR',
           lower('#' || (1000 + i) || ' ' || (1000 + i) || ' ' || fn || ' ' || ln || ' ' || fn || ' ' || ln || ' '
                 || lower(fn) || '.' || replace(lower(ln), ' ', '') || i || '@example.nl ' || pc || ' ' || replace(pc, ' ', '')),
           jsonb_build_object('id', 6100000000000 + i, 'name', '#' || (1000 + i))
    from (
      select i,
             now() - (${count} - i) * interval '37 seconds' as ts,
             case when abs(hashtext('s' || i)) % 100 < 70 then 'to_ship'
                  when abs(hashtext('s' || i)) % 100 < 95 then 'shipped' else 'cancelled' end as st,
             (array['Sanne','Daan','Emma','Lucas','Julia','Sem','Tess','Finn'])[1 + abs(hashtext('f' || i)) % 8] as fn,
             (${sql.array(SURNAMES)}::text[])[1 + abs(hashtext('l' || i)) % ${SURNAMES.length}] as ln,
             (1000 + abs(hashtext('p' || i)) % 9000)::text || ' ' || chr(65 + i % 26) || chr(65 + (i / 26) % 26) as pc
      from generate_series(1, ${count}) as i
    ) g`;
}

export async function orderList(rt: Runtime, sql: postgres.Sql, opts: { orders: number; otherShops: number; otherOrders: number; runs: number; log: (s: string) => void }): Promise<BenchResult> {
  const shopIds: number[] = [];
  for (let s = 0; s <= opts.otherShops; s++) {
    const [row] = await sql<{ id: number }[]>`insert into shops (platform, domain, name) values ('shopify', ${`bench-list-${s}.myshopify.com`}, ${`List ${s}`}) returning id::int as id`;
    shopIds.push(row!.id);
  }
  const [measured, ...others] = shopIds;
  const t0 = performance.now();
  // Interleave: other shops' rows before and after the measured shop's rows on disk.
  for (const [i, id] of others.entries()) {
    if (i === Math.floor(others.length / 2)) await insertOrders(sql, measured!, opts.orders);
    await insertOrders(sql, id, opts.otherOrders);
  }
  if (!others.length) await insertOrders(sql, measured!, opts.orders);
  await sql`analyze orders`;
  opts.log(`  inserted ${opts.orders + opts.otherShops * opts.otherOrders} orders in ${round((performance.now() - t0) / 1000, 1)} s`);

  const shopId = measured!;
  const pattern = `%${SEARCH}%`;
  const [{ matches }] = (await sql<{ matches: number }[]>`select count(*)::int as matches from orders
      where shop_id = ${shopId} and status = 'to_ship' and removed_at is null and search_text like ${pattern}`) as unknown as [{ matches: number }];
  // Page 200 = rows 9951..10000: its cursor is the 9950th row of the list.
  const [c] = await sql<{ at: string; id: number }[]>`
    select to_char(placed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, id::int as id from orders
    where shop_id = ${shopId} and status = 'to_ship' and removed_at is null and search_text like ${pattern}
    order by placed_at desc, id desc offset ${199 * PAGE - 1} limit 1`;
  const page200Cursor = encodeCursor({ at: c!.at, id: c!.id });

  // What listOrders produces, by hand (status to_ship — open and no label yet —, search, keyset after the cursor, newest
  // first, limit + 1).
  const bare = (after: { at: string; id: number } | null) =>
    sql`select id, number, placed_at, status, financial_status, fulfillment_status, customer_name, email, company,
               ship_to, ship_postcode, ship_city, ship_country, item_count, weight_grams, total_price, currency, removed_at, shipped_at,
               to_char(placed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
        from orders
        where shop_id = ${shopId} and status = ${"to_ship"} and removed_at is null and search_text like ${pattern}
          and not exists (select 1 from shipments s where s.order_id = orders.id and s.shop_id = orders.shop_id)
          ${after ? sql`and (placed_at, id) < (${after.at}::timestamptz, ${after.id}::bigint)` : sql``}
        order by placed_at desc nulls last, id desc nulls last limit ${PAGE + 1}`;

  const cases = [
    { name: "page1", loader: () => listOrders(rt.db, shopId, { status: "to_ship", search: SEARCH, limit: PAGE }), floor: () => bare(null) },
    {
      name: "page200",
      loader: () => listOrders(rt.db, shopId, { status: "to_ship", search: SEARCH, after: page200Cursor, limit: PAGE }),
      floor: () => bare(c!),
    },
  ];
  const out: Record<string, { loaderMs: number; floorMs: number; ratio: number; rows: number }> = {};
  for (const k of cases) {
    const page = await k.loader();
    const rows = page.rows.length;
    const floorPage = await k.floor();
    const floorRows = floorPage.length;
    if (rows !== PAGE || floorRows !== PAGE + 1) throw new Error(`order-list ${k.name}: ${rows} rows from listOrders, ${floorRows} by hand`);
    // Same rows in the same order, so both sides do the same work.
    if (page.rows.some((r, i) => r.id !== Number(floorPage[i]!.id))) throw new Error(`order-list ${k.name}: listOrders and the hand-written query disagree`);
    // Warm-up: postgres.js hands sequential queries to its open connections in turn, and each connection prepares a
    // statement the first time it runs it. The server's pool (rt.db, up to 10 connections, open ones stay open) can
    // need more warm-up runs than the floor's (2): run both until every open connection has seen its statement.
    for (let i = 0; i < 25; i++) {
      await k.loader();
      await k.floor();
    }
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      // Alternate so both see the same cache state and machine load.
      let t = performance.now();
      await k.loader();
      a.push(performance.now() - t);
      t = performance.now();
      await k.floor();
      b.push(performance.now() - t);
    }
    const loaderMs = median(a);
    const floorMs = median(b);
    out[k.name] = { loaderMs: round(loaderMs, 3), floorMs: round(floorMs, 3), ratio: round(loaderMs / floorMs, 3), rows };
  }
  const worst = Math.max(out.page1!.ratio, out.page200!.ratio);
  const explain = async (after: boolean) =>
    ((await sql.unsafe(
      `explain (analyze, buffers, format text) select id from orders where shop_id = ${shopId} and status = 'to_ship' and removed_at is null
         and search_text like '${pattern}' and not exists (select 1 from shipments s where s.order_id = orders.id and s.shop_id = orders.shop_id)
         ${after ? `and (placed_at, id) < ('${c!.at}'::timestamptz, ${c!.id}::bigint)` : ""}
         order by placed_at desc nulls last, id desc nulls last limit 51`,
    )) as unknown as { "QUERY PLAN": string }[]).map((r) => r["QUERY PLAN"]).join("\n");
  return {
    value: out.page200!.loaderMs,
    floor: out.page200!.floorMs,
    ratio: worst,
    goal: "<= 2",
    met: worst <= 2,
    unit: "ms (median, page 200; ratio = worse of page 1 and page 200)",
    search: SEARCH,
    matchingOrders: matches,
    ordersOfShop: opts.orders,
    ordersTotal: opts.orders + opts.otherShops * opts.otherOrders,
    shops: opts.otherShops + 1,
    runs: opts.runs,
    page1: out.page1,
    page200: out.page200,
    page1Plan: await explain(false),
    page200Plan: await explain(true),
  };
}
