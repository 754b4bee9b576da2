// A shop for its staff: the rota (give a shift to someone; the rota's rules say no when they must), the task board,
// stock with its low-stock alerts, and purchase orders.
import { $, api, button, el, session, shopOf } from "./core.js";

let shop = null;

export async function openManage() {
  shop = shopOf(session.who) || "downtown";
  $("manage-title").textContent = `Rota, tasks and stock — ${shop}`;
  await Promise.all([loadRota(), loadTasks(), loadStock(), loadPurchases()]);
}

async function read(path) {
  const reply = await api(path);
  const body = await reply.json();
  if (!reply.ok) { $("manage-note").textContent = body.detail; return null; }
  return body;
}

async function loadRota() {
  const found = await read(`/api/v1/shifts?location_id=${shop}&days=3`);
  if (!found) return;
  $("rota").replaceChildren(...found.shifts.map((shift) => {
    const what = `${shift.weekday} ${shift.start}–${shift.end} ${shift.role}`;
    const row = el("li", `${what}: ${shift.held_by || "open"}`);
    const label = el("label", `Give ${what} to`, { htmlFor: `give-${shift.shift_id}`, className: "visually-hidden" });
    const who = el("input", "", { id: `give-${shift.shift_id}`, placeholder: "staff id", size: 10 });
    const give = button("Give", () => assign(shift, who.value.trim()), { "aria-label": `Give ${what}` });
    const actions = el("div", "", { className: "actions" });
    actions.append(label, who, give);
    row.append(actions);
    return row;
  }));
}

async function assign(shift, staffId) {
  if (!staffId) { $("manage-note").textContent = "Say who should take it."; return; }
  const reply = await api("/api/v1/shifts/assign", { method: "POST", headers: { "Idempotency-Key": crypto.randomUUID() },
    body: JSON.stringify({ shift_id: shift.shift_id, staff_id: staffId, version: shift.version }) });
  const body = await reply.json();
  $("manage-note").textContent = reply.ok ? `${body.weekday} ${body.start}–${body.end} is now ${body.held_by}'s.`
    : `Not done: ${body.detail}`;
  loadRota();
}

async function loadTasks() {
  const found = await read(`/api/v1/tasks?location_id=${shop}`);
  if (!found) return;
  $("task-list").replaceChildren(...found.tasks.filter((t) => t.state === "open").map((task) => {
    const row = el("li", `${task.title} — ${task.who}, ${task.due}${task.overdue ? " (overdue)" : ""}`,
                   { className: task.overdue ? "low" : "" });
    const done = button("Done", () => complete(task), { "aria-label": `Done: ${task.title}`, className: "secondary" });
    const actions = el("div", "", { className: "actions" });
    actions.append(done);
    row.append(actions);
    return row;
  }));
}

async function complete(task) {
  const reply = await api(`/api/v1/tasks/${task.task_id}/complete`, { method: "POST",
    headers: { "Idempotency-Key": crypto.randomUUID() }, body: JSON.stringify({ version: task.version }) });
  $("manage-note").textContent = reply.ok ? `Done: ${task.title}.` : `Not done: ${(await reply.json()).detail}`;
  loadTasks();
}

async function loadStock() {
  const [levels, tasks] = await Promise.all([read(`/api/v1/stock?location_id=${shop}`),
                                             read(`/api/v1/tasks?location_id=${shop}`)]);
  if (!levels) return;
  const low = new Set((tasks?.tasks || []).filter((t) => t.about_kind === "stock" && t.state === "open")
    .map((t) => t.about_id));
  const sorted = [...levels.levels].sort((a, b) => Number(low.has(b.ingredient_id)) - Number(low.has(a.ingredient_id)));
  $("stock-list").replaceChildren(...sorted.map((level) => el("li",
    `${level.ingredient_name}: ${level.quantity} ${level.unit}${level.in_transit ? ` (+${level.in_transit} coming)` : ""}`
    + (low.has(level.ingredient_id) ? " — low" : ""), { className: low.has(level.ingredient_id) ? "low" : "" })));
}

async function loadPurchases() {
  const found = await read(`/api/v1/purchase-orders?location_id=${shop}`);
  if (!found) return;
  const rows = found.orders.map((order) => el("li",
    `#${order.order_id} ${order.supplier_name || order.supplier_id}: ${order.state}` +
    (order.total_cents !== undefined ? `, $${(order.total_cents / 100).toFixed(2)}` : "")));
  $("purchase-list").replaceChildren(...(rows.length ? rows : [el("li", "None yet.")]));
}
