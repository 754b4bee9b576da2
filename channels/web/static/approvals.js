// The approvals inbox: the agent's paused actions with the arguments that would run; approve, edit or reject.
import { $, api, button, el } from "./core.js";

export async function openApprovals() {
  const reply = await api("/api/v1/approvals");
  if (!reply.ok) { $("approvals-note").textContent = (await reply.json()).detail; return; }
  const pending = (await reply.json()).approvals;
  $("approvals-note").textContent = pending.length ? "" : "Nothing is waiting.";
  $("approval-list").replaceChildren(...pending.map(entryOf));
}

function entryOf(approval) {
  const what = `${approval.tool.replaceAll("_", " ")} for ${approval.requested_by}`;
  const entry = el("li", "", { className: "approval" });
  const args = el("pre", JSON.stringify(approval.arguments, null, 2));
  const actions = el("div", "", { className: "actions" });
  const id = approval.approval_id;
  actions.append(
    button("Approve", () => decide(id, { decision: "approve" }, entry), { "aria-label": `Approve ${what}` }),
    button("Edit", () => edit(id, approval, entry, args), { "aria-label": `Edit ${what}`, className: "secondary" }),
    button("Reject", () => decide(id, { decision: "reject" }, entry), { "aria-label": `Reject ${what}` }));
  entry.append(el("h3", `${approval.tool.replaceAll("_", " ")} — asked by ${approval.requested_by}`), args, actions);
  return entry;
}

function edit(id, approval, entry, args) {
  const label = el("label", "Arguments to run instead (JSON)", { htmlFor: `edit-${id}` });
  const text = el("textarea", JSON.stringify(approval.arguments, null, 2), { id: `edit-${id}`, rows: 8 });
  const problem = el("p", "", { className: "hint", role: "alert" });
  const run = button("Approve with these", () => {
    let changed;
    try { changed = JSON.parse(text.value); } catch (error) { problem.textContent = `Not JSON: ${error.message}`; return; }
    decide(id, { decision: "edit", arguments: changed }, entry);
  });
  args.replaceWith(label, text, problem);
  entry.querySelector(".actions").replaceChildren(run);
  text.focus();
}

async function decide(id, body, entry) {
  const reply = await api(`/api/v1/approvals/${id}`, { method: "POST", body: JSON.stringify(body) });
  const answer = await reply.json();
  const status = reply.ok ? answer.approval.status : "";
  const outcome = el("p", reply.ok ? `${status[0].toUpperCase()}${status.slice(1)}. The agent went on: ${answer.reply.text}`
    : answer.detail, { role: "status" });
  entry.querySelector(".actions").replaceWith(outcome);
}
