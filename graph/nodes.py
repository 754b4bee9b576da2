"""The three nodes every agent shares: route the turn, think (one model call), act (run the tool calls)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolCall, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import StructuredTool
from langgraph.types import interrupt

from agents.spec import AgentSpec
from graph.routing import FALLBACK_AGENT, answer_to_question, question, route
from graph.state import ChatState, current_turn
from graph.toolset import ToolBinding
from mcp_servers.gateway import Gateway
from tools.errors import DomainError, Forbidden
from tools.principal import Principal, Role

AGENTS = Principal(role=Role.SERVICE, id="agents")
"""The platform's own identity, for bookkeeping the agents do (recording approval requests)."""

ModelFor = Callable[[str], BaseChatModel]
"""The chat model for a tier ("small" / "large"); which provider runs is the caller's business."""
MAX_MODEL_CALLS_PER_TURN = 8
SERVING_PREFIX = "Serving: "
"""The system prompt's last line names the person served (`role:id[@shop]`), for the model to address."""
ROUTING = "gocoffee_routing"
"""Key in a routing question's additional_kwargs: the agents asked about and the request it was about."""
RESTATED = "gocoffee_restated"
"""Key in a human message the router added: the person's request again, once they said whom it is for."""
NOT_UNDERSTOOD = "gocoffee_not_understood"
"""Key in an agent's reply that says it did not understand: its "What would you like?" holds no answer to wait
for, so the next turn is routed afresh."""
AGENT_PREFIX = "Agent: "
"""…and the line before it the agent speaking (the offline engine picks its skills by it)."""


def principal_of(config: RunnableConfig) -> Principal:
    return Principal.parse(config["configurable"]["principal"])


def _this_turn(state: ChatState) -> list[Any]:
    return current_turn(state.get("messages", []))


@dataclass
class Nodes:
    agents: dict[str, AgentSpec]
    gateway: Gateway
    model_for: ModelFor

    def binding(self, config: RunnableConfig, state: ChatState | None = None) -> ToolBinding:
        return ToolBinding(self.gateway, principal_of(config), str(config["configurable"]["thread_id"]),
                           answered(state.get("messages", [])) if state else "")

    async def route(self, state: ChatState, config: RunnableConfig) -> dict[str, Any]:
        text = str(_this_turn(state)[0].content) if _this_turn(state) else ""
        messages = state.get("messages", [])
        asked = _routing_question(messages)
        if asked:  # the answer to "Is this about shifts or about stock?": the first request goes to the one named
            agent = answer_to_question(self.agents, text, asked["options"])
            if agent:
                return {"active_agent": agent, "messages": [HumanMessage(asked["text"], additional_kwargs={
                    RESTATED: True})]}
        active = None if _not_understood(messages) else state.get("active_agent")  # nothing to stay with
        decision = route(self.agents, principal_of(config), text, active, asked=_asked(messages))
        agent = decision.agent or await self._ask_model(decision.candidates, state, config)
        if agent is None and decision.torn:
            return {"messages": [AIMessage(question(self.agents, decision.candidates), additional_kwargs={
                ROUTING: {"options": list(decision.candidates[:2]), "text": text}})]}
        return {"active_agent": agent or self._fallback(decision.candidates, active)}

    def _fallback(self, candidates: tuple[str, ...], active: str | None) -> str:
        return active or (FALLBACK_AGENT if FALLBACK_AGENT in candidates else min(candidates))

    async def _ask_model(self, candidates: tuple[str, ...], state: ChatState, config: RunnableConfig
                         ) -> str | None:
        """The agent the model picks among `candidates`; None if it picks none (it cannot tell either)."""
        options = {n: self.agents[n] for n in candidates}
        chooser = StructuredTool.from_function(
            func=lambda agent: agent, name="route_to", description="Hand this turn to one agent.",
            args_schema={"type": "object", "required": ["agent"], "properties": {
                "agent": {"type": "string", "enum": sorted(options)}}},
        )
        menu = "\n".join(f"- {n}: {s.purpose}" for n, s in sorted(options.items()))
        prompt = SystemMessage(f"Pick the one agent that should answer the user's last message.\n{menu}")
        reply = await self.model_for("small").bind_tools([chooser]).ainvoke([prompt, *_this_turn(state)], config)
        picked = [c["args"].get("agent") for c in getattr(reply, "tool_calls", []) if c["name"] == "route_to"]
        return str(picked[0]) if picked and picked[0] in options else None

    async def think(self, state: ChatState, config: RunnableConfig) -> dict[str, Any]:
        spec = self.agents[state["active_agent"]]
        calls = sum(isinstance(m, AIMessage) for m in _this_turn(state))
        if calls >= MAX_MODEL_CALLS_PER_TURN:
            return {"messages": [AIMessage("Sorry, I could not finish that. Could you say it another way?",
                                           name=spec.name)]}
        model = self.model_for(spec.model_tier).bind_tools(self.binding(config).langchain_tools(spec.tools))
        serving = f"{AGENT_PREFIX}{spec.name}\n{SERVING_PREFIX}{principal_of(config).as_header()}"
        reply = await model.ainvoke([SystemMessage(f"{spec.prompt}\n{serving}\n"), *state["messages"]], config)
        reply.name = spec.name
        return {"messages": [reply]}

    async def act(self, state: ChatState, config: RunnableConfig) -> dict[str, Any]:
        binding = self.binding(config, state)
        offered = set(binding.allowed(self.agents[state["active_agent"]].tools))
        results = []
        earlier = [c for m in _this_turn(state)[:-1] if isinstance(m, AIMessage) for c in m.tool_calls]
        asked = state["messages"][-1]
        assert isinstance(asked, AIMessage)  # `act` runs only after a model message with tool calls
        for call in asked.tool_calls:
            repeat = sum((c["name"], c["args"]) == (call["name"], call["args"]) for c in earlier)
            earlier.append(call)
            try:
                if call["name"] not in offered:
                    raise Forbidden(f"{call['name']} is not available to you here", tool=call["name"])
                args = call["args"]
                if binding.needs_approval(call["name"]):
                    args = await self._approved_arguments(binding, call, repeat)
                output = await binding.run(call["name"], args, repeat)
                results.append(ToolMessage(output.model_dump_json(exclude_none=True),
                                           artifact=output.model_dump(mode="json"),
                                           tool_call_id=call["id"], name=call["name"], status="success"))
            except DomainError as exc:
                # The text is for a language model; the typed result or error body travels as the artifact, as
                # plain data (checkpoints keep it safely), to be validated again by whoever reads it.
                results.append(ToolMessage(f"error {exc.code}: {exc.message}", artifact=exc.body().model_dump(),
                                           tool_call_id=call["id"], name=call["name"], status="error"))
        return {"messages": results}

    async def _approved_arguments(self, binding: ToolBinding, call: ToolCall, repeat: int) -> dict[str, Any]:
        """Record the request, pause the run until a human decides, then return what may run."""
        approval_id = binding.approval_id(call["name"], call["args"], repeat)
        request = {"approval_id": approval_id, "thread_id": binding.scope, "tool": call["name"],
                   "arguments": call["args"], "requested_by": binding.principal.as_header()}
        await self.gateway.call("request_approval", request, principal=AGENTS)
        decision = interrupt(request)  # the run stops here; it resumes with the decided approval
        if decision["status"] == "rejected":
            note = f": {decision['note']}" if decision.get("note") else ""
            raise DomainError(f"{decision['decided_by']} rejected this{note}")
        arguments = dict(decision["arguments"])
        if "approval_id" in (self.gateway.tools[call["name"]].input_schema.get("properties") or {}):
            arguments["approval_id"] = decision["approval_id"]  # the tool checks who approved (refund limits)
        return arguments


def _last_answer(messages: list[Any]) -> AIMessage | None:
    """The last answer before this turn."""
    before = messages[: len(messages) - len(current_turn(messages))]
    return next((m for m in reversed(before) if isinstance(m, AIMessage)), None)


def _routing_question(messages: list[Any]) -> dict[str, Any] | None:
    """The routing question the last answer before this turn asked, if it was one."""
    last = _last_answer(messages)
    return last.additional_kwargs.get(ROUTING) if last is not None else None


def after_route(state: ChatState) -> Literal["think", "__end__"]:
    """A routing question ends the turn: the person answers it next."""
    last = state["messages"][-1] if state.get("messages") else None
    return "__end__" if isinstance(last, AIMessage) and ROUTING in last.additional_kwargs else "think"


def _asked(messages: list[Any]) -> bool:
    """The agent's last message before this turn asked the person something."""
    last = _last_answer(messages)
    return last is not None and "?" in str(last.content) and not _not_understood(messages)


def _not_understood(messages: list[Any]) -> bool:
    last = _last_answer(messages)
    return last is not None and bool(last.additional_kwargs.get(NOT_UNDERSTOOD))


def answered(messages: list[Any]) -> str:
    """The id of what the current turn answers: the agent's last message before it, else the turn's own."""
    turn = current_turn(messages)
    before = messages[: len(messages) - len(turn)]
    anchor = next((m for m in reversed(before) if isinstance(m, AIMessage)), turn[0] if turn else None)
    return str(anchor.id) if anchor is not None and anchor.id else ""


def after_think(state: ChatState) -> Literal["act", "__end__"]:
    last = state["messages"][-1]
    return "act" if isinstance(last, AIMessage) and last.tool_calls else "__end__"
