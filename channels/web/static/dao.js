// The DAO: its proposals with their tallies; a COFFEE holder votes for, against or abstains.
import { $, api, button, el } from "./core.js";

const CHOICES = [["for", "For"], ["against", "Against"], ["abstain", "Abstain"]];

export async function openDao() {
  const reply = await api("/api/v1/dao/proposals");
  const body = await reply.json();
  if (!reply.ok) { $("dao-note").textContent = body.detail; return; }
  $("dao-note").textContent = body.proposals.length ? "" : "No proposals yet.";
  $("proposals").replaceChildren(...body.proposals.map(entryOf));
}

function entryOf(proposal) {
  const row = el("li");
  row.append(el("strong", proposal.title), el("p", proposal.description, { className: "hint" }),
             el("p", `${proposal.state}: ${Number(proposal.votes_for)} for, ${Number(proposal.votes_against)} against, ` +
                     `${Number(proposal.votes_abstain)} abstaining (quorum ${Number(proposal.quorum)} COFFEE)`));
  if (proposal.state === "active") {
    const actions = el("div", "", { className: "actions" });
    actions.append(...CHOICES.map(([support, label]) => button(label, () => vote(proposal, support),
      { "aria-label": `Vote ${label.toLowerCase()}: ${proposal.title}`, className: "secondary" })));
    row.append(actions);
  }
  return row;
}

async function vote(proposal, support) {
  const reply = await api(`/api/v1/dao/proposals/${proposal.proposal}/votes`, { method: "POST",
    headers: { "Idempotency-Key": crypto.randomUUID() }, body: JSON.stringify({ support }) });
  const said = reply.ok ? `Your vote on "${proposal.title}" is in.` : (await reply.json()).detail;
  await openDao();
  $("dao-note").textContent = said;
}
