// Go Coffee web app: signs in with the platform's own tokens, then talks to the same REST and SSE API as any client.
import { openApprovals } from "./approvals.js";
import { $, api, events, hooks, refresh, session } from "./core.js";
import { openDao } from "./dao.js";
import { openKitchen } from "./kitchen.js";
import { openManage } from "./manage.js";
import { play, toggleTalk } from "./voice.js";

function signedIn(tokens) {
  session.access = tokens.access_token;
  session.refresh = tokens.refresh_token;
  session.who = tokens.principal;
  sessionStorage.setItem("gc-refresh", tokens.refresh_token);
  $("who").textContent = `Signed in as ${tokens.principal}`;
  $("sign-in").hidden = true;
  $("signed-in").hidden = false;
  $("sign-out").hidden = false;
  const staff = /^(staff|manager):/.test(tokens.principal);
  for (const tab of document.querySelectorAll("button.staff")) tab.hidden = !staff;
  $("message").focus();
  listen();
  if (!$("log").children.length) catchUp();
}

async function catchUp() {
  // the person's one thread, whatever the channel: what was said before (here, the terminal or Telegram)
  const reply = await api("/api/v1/chat/history");
  if (!reply.ok) return;
  for (const said of (await reply.json()).messages) line(said.who, said.text);
}

async function heardBack(tries = 20) {
  // a paused request was decided: the conversation goes on without us (the notice comes first); show how
  const shown = [...$("log").querySelectorAll("li.agent")].map((item) => item.textContent);
  const reply = await api("/api/v1/chat/history");
  const last = reply.ok ? (await reply.json()).messages.at(-1) : null;
  if (last && last.who === "agent" && !shown.includes(last.text)) { line("agent", last.text); return; }
  if (tries > 1) setTimeout(() => heardBack(tries - 1), 500);
}

function signedOut() {
  Object.assign(session, { access: null, refresh: null, who: null });
  sessionStorage.removeItem("gc-refresh");
  $("who").textContent = "";
  $("sign-in").hidden = false;
  $("signed-in").hidden = true;
  $("sign-out").hidden = true;
  $("email").focus();
}

$("credentials").addEventListener("submit", async (event) => {
  event.preventDefault();
  const action = event.submitter?.dataset.action || "token";
  const body = { email: $("email").value, password: $("password").value };
  if ($("code").value) body.code = $("code").value;
  const reply = await fetch(`/api/v1/auth/${action}`, { method: "POST", body: JSON.stringify(body),
                                                        headers: { "Content-Type": "application/json" } });
  const answer = await reply.json();
  if (!reply.ok) { $("sign-in-error").textContent = answer.detail || "That did not work."; return; }
  $("sign-in-error").textContent = "";
  $("password").value = "";
  signedIn(answer);
});

$("sign-out").addEventListener("click", async () => {
  if (session.refresh) {
    await fetch("/api/v1/auth/logout", { method: "POST", headers: { "Content-Type": "application/json" },
                                          body: JSON.stringify({ refresh_token: session.refresh }) });
  }
  signedOut();
});

for (const tab of document.querySelectorAll("[data-tab]")) {
  tab.addEventListener("click", () => show(tab.dataset.tab));
}

$("link-telegram").addEventListener("click", linkTelegram);
$("talk").addEventListener("click", () => toggleTalk($("talk"), $("voice-note"), spoken));

async function spoken(audio) {
  const form = new FormData();
  form.append("audio", audio, "turn.wav");
  const reply = await api("/api/v1/voice/turns", { method: "POST", body: form });
  const answer = await reply.json();
  if (!reply.ok) { $("voice-note").textContent = answer.detail || "That did not work."; return; }
  $("voice-note").textContent = answer.heard ? "" : "I didn't catch that.";
  if (answer.transcript) line("you", `(said) ${answer.transcript}`);
  const said = line("agent", answer.text);
  if (answer.reply) finish(said, answer.reply);
  play(answer.audio_wav);
}

function show(name) {
  for (const tab of document.querySelectorAll("[data-tab]")) tab.setAttribute("aria-pressed", String(tab.dataset.tab === name));
  for (const section of document.querySelectorAll(".tab")) section.hidden = section.id !== name;
  if (name === "menu") loadMenu();
  if (name === "orders") loadOrders();
  if (name === "wallet") loadWallet();
  if (name === "approvals") openApprovals();
  if (name === "kitchen") openKitchen();
  if (name === "manage") openManage();
  if (name === "dao") openDao();
}

// --- chat: the reply streams in; each tool step shows as it happens; the agent's questions offer buttons ---------

function line(kind, text) {
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = text;
  $("log").append(item);
  item.scrollIntoView({ block: "end" });
  return item;
}

async function say(text, expect) {
  line("you", text);
  $("choices").replaceChildren();
  const answer = line("agent pending", "…");
  const turn = expect === undefined ? { message: text } : { message: text, expect };
  const reply = await api("/api/v1/chat/stream", { method: "POST", body: JSON.stringify(turn),
                                                   headers: { Accept: "text/event-stream" } });
  if (!reply.ok) { answer.textContent = (await reply.json()).detail || "Something went wrong."; return; }
  let streamed = "";
  for await (const [kind, data] of events(reply.body)) {
    if (kind === "token") { streamed += data.text; answer.textContent = streamed; }
    if (kind === "tool_call") answer.before(step(`Using ${data.tool || data.name || "a tool"}…`));
    if (kind === "reply") finish(answer, data);
    if (kind === "error") { answer.classList.remove("pending"); answer.textContent = data.message; }
  }
}

function step(text) {
  const item = document.createElement("li");
  item.className = "step";
  item.textContent = text;
  return item;
}

const ORDERING = new Set(["create_order", "place_order", "pay_order", "confirm_payment"]);

function finish(answer, reply) {
  if (reply.tool_events.some((e) => e.ok && ORDERING.has(e.tool))) trackNewest();
  answer.classList.remove("pending");
  answer.textContent = reply.text;
  const buttons = reply.choices.map((choice) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = choice;
    button.addEventListener("click", () => say(choice, reply.position), { once: true });
    return button;
  });
  $("choices").replaceChildren(...buttons);
  if (buttons.length) buttons[0].focus();
}

$("say").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("message").value.trim();
  $("message").value = "";
  if (text) say(text);
});

// --- the order tracker: the order's own event stream, until it is collected ------------------------------------

const STEPS = ["placed", "paid", "queued", "brewing", "ready", "collected"];
let tracking = null;

async function trackNewest() {
  const reply = await api("/api/v1/orders");
  const orders = reply.ok ? (await reply.json()).orders : [];
  const open = orders.filter((o) => !["collected", "cancelled", "refunded", "cart"].includes(o.state));
  if (open.length) track(Math.max(...open.map((o) => o.order_id)));
}

async function track(orderId) {
  if (tracking === orderId) return;
  tracking = orderId;
  $("tracker").hidden = false;
  $("tracker-title").textContent = `Your order #${orderId}`;
  const reply = await api(`/api/v1/orders/${orderId}/events`, { headers: { Accept: "text/event-stream" } });
  if (!reply.ok) return;
  for await (const [kind, progress] of events(reply.body, false)) {
    if (tracking !== orderId) return;
    if (kind === "progress") showProgress(progress);
  }
}

function showProgress(progress) {
  const reached = STEPS.indexOf(progress.state);
  $("steps").replaceChildren(...STEPS.map((step, n) => {
    const item = document.createElement("li");
    item.textContent = step;
    if (n < reached) item.className = "done";
    if (n === reached) { item.className = "now"; item.setAttribute("aria-current", "step"); }
    return item;
  }));
  $("drinks").textContent = progress.drinks.map((d) => `${d.size} ${d.item_id.replaceAll("_", " ")}: ${d.state}`)
    .join(" · ");
}

// --- menu and orders --------------------------------------------------------------------------------------------

async function loadMenu() {
  const form = new FormData($("filters"));
  const query = new URLSearchParams();
  if (form.get("vegan")) query.set("vegan", "true");
  if (form.get("caffeine_free")) query.set("caffeine_free", "true");
  if (form.get("temperature")) query.set("temperature", form.get("temperature"));
  for (const allergen of String(form.get("without_allergens") || "").split(",").map((a) => a.trim()).filter(Boolean)) {
    query.append("without_allergens", allergen);
  }
  const reply = await api(`/api/v1/menu?${query}`);
  const items = reply.ok ? (await reply.json()).items : [];
  $("items").replaceChildren(...items.map((item) => {
    const entry = document.createElement("li");
    const price = Math.min(...item.prices.map((p) => p.price_cents)) / 100;
    entry.innerHTML = "<strong></strong> <span class=\"price\"></span><br><small></small>";
    entry.querySelector("strong").textContent = item.name;
    entry.querySelector(".price").textContent = `from $${price.toFixed(2)}`;
    entry.querySelector("small").textContent = [item.temperature, item.vegan ? "vegan" : "",
      item.caffeinated ? "" : "caffeine-free", ...item.allergens.map((a) => `contains ${a}`)].filter(Boolean).join(" · ");
    return entry;
  }));
}

$("filters").addEventListener("change", loadMenu);

async function loadOrders() {
  const reply = await api("/api/v1/orders");
  const orders = reply.ok ? (await reply.json()).orders : [];
  $("order-list").replaceChildren(...orders.map((order) => {
    const entry = document.createElement("li");
    entry.textContent = `#${order.order_id} at ${order.location_id}: ${order.state} — $${(order.total_cents / 100).toFixed(2)}`;
    return entry;
  }));
}

// --- wallet, and the inbox as it arrives ---------------------------------------------------------------------------

async function loadWallet() {
  const reply = await api("/api/v1/wallet");
  if (!reply.ok) return;
  const wallet = await reply.json();
  const rows = [["Balance", `$${(wallet.balance_cents / 100).toFixed(2)}`], ["Points", String(wallet.points)],
                ["COFFEE", wallet.coffee === null ? "—" : String(wallet.coffee)]];
  $("balances").replaceChildren(...rows.flatMap(([name, value]) => {
    const term = document.createElement("dt");
    const detail = document.createElement("dd");
    term.textContent = name;
    detail.textContent = value;
    return [term, detail];
  }));
  $("history").replaceChildren(...wallet.history.map((entry) => {
    const item = document.createElement("li");
    const amount = entry.unit === "cents" ? `${entry.amount < 0 ? "−" : ""}$${(Math.abs(entry.amount) / 100).toFixed(2)}`
      : `${entry.amount} ${entry.unit}`;
    item.textContent = `${entry.kind.replaceAll("_", " ")}: ${amount}`;
    return item;
  }));
}

async function linkTelegram() {
  const reply = await api("/api/v1/telegram/link", { method: "POST" });
  const answer = await reply.json();
  const place = $("telegram-link");
  if (!reply.ok) { place.textContent = answer.detail || "That did not work."; return; }
  const link = document.createElement("a");
  link.href = answer.url;
  link.textContent = "Open Go Coffee in Telegram";
  link.rel = "noopener";
  place.replaceChildren(link, ` — or send the bot /start ${answer.code} (one use, 15 minutes).`);
  link.focus();
}

let listening = null;

async function listen() {
  if (listening === session.who) return;
  listening = session.who;
  const who = session.who;
  const reply = await api("/api/v1/notifications/events", { headers: { Accept: "text/event-stream" } });
  if (!reply.ok) { listening = null; return; }
  let unread = 0;
  for await (const [topic, note] of events(reply.body, false)) {
    if (session.who !== who) return;
    const item = document.createElement("li");
    item.textContent = note.text;
    item.dataset.topic = topic;
    $("notes").prepend(item);
    if (topic === "approval" && !note.read) heardBack();
    if (!note.read) $("unread").textContent = String(++unread);
  }
}

hooks.signedIn = signedIn;
hooks.signedOut = signedOut;
if (session.refresh) refresh();
