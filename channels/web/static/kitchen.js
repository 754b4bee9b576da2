// The kitchen, live: machines and queue refreshed on each kitchen event; commands show the interlock's refusals.
import { $, api, events, session } from "./core.js";

const COMMANDS = [["descale", "Descale"], ["refill", "Refill"], ["clear-fault", "Clear fault"], ["stop", "Stop"]];
let watching = null;

export function openKitchen() {
  const home = /@(.+)$/.exec(session.who || "")?.[1];
  if (home && !$("shop").value) $("shop").value = home;
  if ($("shop").value) watchKitchen($("shop").value);
}

$("shop-form").addEventListener("submit", (event) => {
  event.preventDefault();
  watchKitchen($("shop").value.trim());
});

async function watchKitchen(shop) {
  await loadKitchen(shop);
  if (watching === shop) return;
  watching = shop;
  const reply = await api(`/api/v1/kitchen/${encodeURIComponent(shop)}/events`, { headers: { Accept: "text/event-stream" } });
  if (!reply.ok) return;
  let pending = null;
  for await (const _ of events(reply.body, false)) {
    if (watching !== shop) return;
    clearTimeout(pending);
    pending = setTimeout(() => loadKitchen(shop), 150);
  }
}

async function loadKitchen(shop) {
  const [machines, queue] = await Promise.all([api(`/api/v1/kitchen/${encodeURIComponent(shop)}/machines`),
                                               api(`/api/v1/kitchen/${encodeURIComponent(shop)}/queue`)]);
  if (!machines.ok) { $("kitchen-note").textContent = (await machines.json()).detail; return; }
  $("machines").replaceChildren(...(await machines.json()).machines.map((m) => machineCard(shop, m)));
  const drinks = queue.ok ? (await queue.json()).drinks : [];
  const lines = drinks.map((d) => `#${d.order_id} ${d.size} ${d.item_id.replaceAll("_", " ")}: ${d.state}`);
  $("queue").replaceChildren(...(lines.length ? lines : ["Nothing waiting."]).map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
}

function machineCard(shop, machine) {
  const card = document.createElement("li");
  card.className = "machine";
  card.dataset.machine = machine.machine_id;
  const title = document.createElement("strong");
  title.textContent = `${machine.machine_id}: ${machine.status}${machine.fault ? ` (${machine.fault})` : ""}`;
  const detail = document.createElement("small");
  detail.textContent = ` water ${machine.water_ml} ml · beans ${machine.beans_g} g · ${machine.brews_since_descale} brews since descaling`;
  const actions = document.createElement("div");
  actions.className = "actions";
  const maintenance = machine.status === "maintenance";
  for (const [path, label, body] of [...COMMANDS.map(([p, l]) => [p, l, {}]),
                                     ["maintenance", maintenance ? "Back in service" : "Maintenance", { on: !maintenance }]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = label;
    button.setAttribute("aria-label", `${label} ${machine.machine_id}`);
    button.addEventListener("click", () => command(shop, machine.machine_id, path, body));
    actions.append(button);
  }
  card.append(title, detail, actions);
  return card;
}

async function command(shop, machine, path, body) {
  const reply = await api(`/api/v1/kitchen/${encodeURIComponent(shop)}/machines/${machine}/${path}`,
                          { method: "POST", body: JSON.stringify(body) });
  $("kitchen-note").textContent = reply.ok ? `${machine}: done.` : `${machine}: ${(await reply.json()).detail}`;
  loadKitchen(shop);
}

