"""`gocoffee eval …`: list suites, run one (in-process or against a running server), compare two runs."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from evals.env import EnvOptions
from evals.metrics import suite_pass_hat_k
from evals.report import compare, plot_svg, write_reports
from evals.results import RunInfo, TrialResult, read_run, write_run
from evals.runner import UserFactory, run_suite
from evals.tasks import Suite, Task, load_suite, suite_names
from evals.users import LLMUser, ScriptedUser
from evals.world import ServiceSignIn

app = typer.Typer(help="τ-bench-style agent evals: tasks, simulated users, end-state checks, pass^k.",
                  no_args_is_help=True)
console = Console()


@app.command("list")
def list_suites() -> None:
    """The suites and how many tasks each has."""
    for name in suite_names():
        suite = load_suite(name)
        console.print(f"{name:12s} {len(suite.tasks):3d} tasks  {suite.description}")


def _user_factory(user_model: str | None, api_key: str | None) -> tuple[UserFactory, str]:
    if user_model is None:
        return ScriptedUser, "scripted"
    from graph.models import hosted_model

    model = hosted_model(user_model, api_key)
    return (lambda task: LLMUser(task, model, user_model)), f"llm:{user_model}"


@app.command("run")
def run(
    suite: Annotated[str, typer.Option(help="Suite name (see `gocoffee eval list`).")],
    trials: Annotated[int, typer.Option(min=1, max=50, help="Trials per task (pass^k up to k = trials).")] = 1,
    model: Annotated[str, typer.Option(help="The agents' brain: offline, openai:<m>, ollama:<m>, URL#model.")]
    = "offline",
    user_model: Annotated[str | None, typer.Option(help="A model to play the user (default: the scripted user).")]
    = None,
    concurrency: Annotated[int, typer.Option(min=1, max=32)] = 2,
    task: Annotated[list[str] | None, typer.Option(help="Only these task ids (repeatable).")] = None,
    target: Annotated[str | None, typer.Option(help="A running server (GOCOFFEE_EVAL_MODE=true) to evaluate, "
                                               "e.g. http://127.0.0.1:8000; it is reset before every trial.")]
    = None,
    out: Annotated[Path | None, typer.Option(help="Run directory (default var/evals/<run id>).")] = None,
    client_id: Annotated[str, typer.Option(envvar="GOCOFFEE_EVAL_CLIENT_ID", help="With --target: the eval "
                                           "runner's service client (gocoffee users service evals --scope act_as).")]
    = "evals",
    client_secret: Annotated[str | None, typer.Option(envvar="GOCOFFEE_EVAL_CLIENT_SECRET", help="With --target: "
                                                      "its secret.")] = None,
    api_key: Annotated[str | None, typer.Option(envvar="GOCOFFEE_OPENAI_API_KEY", hidden=True)] = None,
) -> None:
    """Run a suite; write results.jsonl, report.md, report.html and pass_k.svg into the run directory.

    In-process by default (a fresh platform per trial); with --target, against a running server, one trial
    at a time (the server is reset to its seeded start before each)."""
    chosen = load_suite(suite)
    make_user, simulator = _user_factory(user_model, api_key)
    started = datetime.now(UTC)
    run_id = f"{started:%Y%m%d-%H%M%S}-{chosen.name}-{model.replace('/', '_').replace(':', '_')[:40]}"
    directory = out or Path("var/evals") / run_id
    tasks = [t for t in chosen.tasks if not task or t.id in task]
    info = RunInfo(run_id=run_id, suite=chosen.name, trials=trials, model=model if not target else "(the server's)",
                   user_simulator=simulator, target=target or "in-process", started_at=started, tasks=len(tasks))
    if target and not client_secret:
        raise typer.BadParameter("evaluating a server signs in as its service client: give --client-secret "
                                 "(or GOCOFFEE_EVAL_CLIENT_SECRET)", param_hint="--client-secret")
    service = ServiceSignIn(client_id, client_secret) if target and client_secret else None
    results = asyncio.run(_run(chosen, tasks, trials, model, 1 if target else concurrency, make_user, target,
                               service))
    info.finished_at = datetime.now(UTC)
    write_run(directory, info, results)
    write_reports(directory, info, results)
    hat = suite_pass_hat_k(results)
    console.print(" ".join(f"pass^{k}={v:.3f}" for k, v in hat.items()) + f"  → {directory}/report.md")


async def _run(suite: Suite, tasks: list[Task], trials: int, model: str, concurrency: int, make_user: UserFactory,
               target: str | None, service: ServiceSignIn | None) -> list[TrialResult]:
    with tempfile.TemporaryDirectory(prefix="gocoffee-eval-") as work, Progress(console=console) as progress:
        bar = progress.add_task(suite.name, total=len(tasks) * trials)
        options = EnvOptions(workdir=Path(work), model=model, target=target, service=service)
        return await run_suite(suite, trials, options, concurrency, make_user,
                               on_done=lambda _: progress.advance(bar), only={t.id for t in tasks})


@app.command("voice")
def voice(
    suite: Annotated[str, typer.Option(help="Suite name; its scripted user's lines are spoken.")] = "orders",
    stt: Annotated[str, typer.Option(help="The recogniser: whisper or sphinx.")] = "whisper",
    task: Annotated[list[str] | None, typer.Option(help="Only these task ids (repeatable).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write voice.md here.")] = None,
) -> None:
    """Text pass^1 next to voice pass^1 for each voice, speed and noise (CONDITIONS), and how often a customer
    had to repeat themselves. In-process, one trial per task."""
    from evals.voice_report import run_voice_eval

    chosen = load_suite(suite)
    tasks = [t for t in chosen.tasks if not task or t.id in task]
    text = asyncio.run(run_voice_eval(chosen, tasks, stt, console))
    console.print(text)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "voice.md").write_text(text)


@app.command("compare")
def compare_runs(before: Path, after: Path,
                 out: Annotated[Path | None, typer.Option(help="Write compare.md and compare.svg here.")] = None
                 ) -> None:
    """What changed per task between two runs, and both runs' pass^k curves."""
    a, b = read_run(before), read_run(after)
    text = compare(a, b)
    console.print(text)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "compare.md").write_text(text)
        curves = [(info.run_id, suite_pass_hat_k(results)) for info, results in (a, b)]
        (out / "compare.svg").write_text(plot_svg(curves))
