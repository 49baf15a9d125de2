"""The `coach` command line: browse the bank, grade answers.

Errors a user can fix (a missing file, a bad rubric, an unknown id) print one line on
stderr and exit with code 2; stdout carries only the requested output.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import NoReturn

import click

from coach import __version__
from coach.bank import Difficulty, Kind, Question, load_bank
from coach.config import get_settings
from coach.errors import CoachError, InvalidInput

MAX_ANSWER_BYTES = 2_000_000


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"coach: error: {message}", err=True)
    sys.exit(code)


def _read_answer(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_ANSWER_BYTES:
            raise InvalidInput(f"answer file {path} is larger than {MAX_ANSWER_BYTES // 1_000_000} MB")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"answer file not found: {path}") from None
    except IsADirectoryError:
        raise InvalidInput(f"answer path is a directory, not a file: {path}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"answer file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read answer file {path}: {exc.strerror}") from None
    if not text.strip():
        raise InvalidInput(f"answer file {path} is empty")
    return text


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coach")
def cli() -> None:
    """Coach: practise system-design and technical-leadership interviews."""


@cli.group(invoke_without_command=True)
@click.option("--kind", type=click.Choice([k.value for k in Kind]), help="Only this kind of question.")
@click.option("--difficulty", type=click.Choice([d.value for d in Difficulty]), help="Only this difficulty.")
@click.option("--topic", help="Only questions tagged with this topic (see the TOPICS column).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@click.pass_context
def questions(ctx: click.Context, kind: str | None, difficulty: str | None, topic: str | None, as_json: bool) -> None:
    """List the question bank, or show one question with `coach questions show ID`."""
    if ctx.invoked_subcommand:
        return
    bank = load_bank(get_settings().seeds_dir)
    found = bank.filter(kind=kind, difficulty=difficulty, topic=topic)
    if as_json:
        click.echo(json.dumps([_summary(q) for q in found], indent=2))
        return
    if not found:
        click.echo("No questions match those filters.", err=True)
        return
    for q in found:
        click.echo(f"{q.id:<30} {q.kind.value:<13} {q.difficulty.value:<7} {q.title}")
    click.echo(f"\n{len(found)} questions. Topics: {', '.join(bank.topics())}", err=True)


def _summary(q: Question) -> dict[str, object]:
    return q.model_dump(mode="json", include={"id", "title", "kind", "difficulty", "topics", "companies", "prompt"})


@questions.command("show")
@click.argument("question_id")
@click.option("--json", "as_json", is_flag=True, help="Print the question as JSON.")
def show(question_id: str, as_json: bool) -> None:
    """Show one question in full: brief, rubric, follow-ups, pitfalls and outline."""
    q = load_bank(get_settings().seeds_dir).get(question_id)
    if as_json:
        click.echo(json.dumps(q.model_dump(mode="json"), indent=2))
        return
    click.echo(f"{q.title}  [{q.id}; {q.kind.value}, {q.difficulty.value}; {', '.join(q.topics)}]\n")
    click.echo(click.wrap_text(q.prompt, 96) + "\n")
    if q.companies:
        click.echo("Asked at: " + "; ".join(f"{c.name} ({c.focus})" if c.focus else c.name for c in q.companies) + "\n")
    sections = [
        ("Interviewer brief (revealed when asked):", [f"[{f.topic.value}] {f.fact}" for f in q.brief]),
        ("Key points:", [f"{kp.id} ({kp.dimension.value}, weight {kp.weight:g}): {kp.text}" for kp in q.key_points]),
        ("Follow-ups:", [f"[{f.key_point}] {f.ask}" for f in q.follow_ups]),
        ("Pitfalls:", [f"{p.text}: {p.why}" if p.why else p.text for p in q.pitfalls]),
        ("Outline of a strong answer:", q.outline),
    ]
    click.echo("\n\n".join(title + "".join(f"\n  - {line}" for line in lines) for title, lines in sections))


@cli.command()
@click.option("--rubric", "rubric_path", type=click.Path(path_type=Path, dir_okay=False), help="A RUBRIC.json file.")
@click.option("--question", "question_id", help="Grade against this bank question's rubric instead.")
@click.option("--answer", "answer_path", required=True, type=click.Path(path_type=Path), help="The answer or transcript, as UTF-8 text.")
@click.option("--format", "fmt", type=click.Choice(["json", "md"]), default="md", show_default=True, help="Output format.")
def grade(rubric_path: Path | None, question_id: str | None, answer_path: Path, fmt: str) -> None:
    """Grade an answer against a rubric's key points.

    RUBRIC.json is {"question": "...", "key_points": [{"id": "kp1", "text": "..."}, ...]}
    (weight and dimension optional). Grades offline unless COACH_MODEL names an LLM.
    """
    from coach.grading.report import render_markdown
    from coach.grading.rubric import Rubric
    from coach.grading.service import GradingService
    from coach.llm import metered_provider, provider_from_settings

    if (rubric_path is None) == (question_id is None):
        raise click.UsageError("give exactly one of --rubric FILE or --question ID")
    settings = get_settings()
    bank = load_bank(settings.seeds_dir)
    rubric = Rubric.from_question(bank.get(question_id)) if question_id else Rubric.from_file(rubric_path)  # type: ignore[arg-type]
    answer = _read_answer(answer_path)
    service = GradingService(bank, metered_provider(provider_from_settings(settings), settings), cache_dir=settings.cache_dir)
    report = asyncio.run(service.grade(rubric, answer))
    if fmt == "json":
        click.echo(report.model_dump_json(indent=2))
    else:
        click.echo(render_markdown(report), nl=False)


@cli.command()
@click.option("--host", help="Interface to listen on.  [default: 127.0.0.1, or COACH_HOST]")
@click.option("--port", type=click.IntRange(0, 65535), help="Port to listen on.  [default: 8000, or COACH_PORT]")
def serve(host: str | None, port: int | None) -> None:
    """Start the interview service: websocket interviews, REST API and docs at /docs.

    Offline unless COACH_MODEL names an LLM; SQLite in COACH_DATA_DIR unless
    COACH_DATABASE_URL points elsewhere.
    """
    from coach.server import run

    run(host, port)


@cli.command("protocol-schema")
def protocol_schema() -> None:
    """Print the JSON Schema of the websocket protocol's frames."""
    from coach.protocol import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


@cli.command("report-schema")
def report_schema() -> None:
    """Print the JSON Schema of a graded report (`coach grade --format json`, the `report` frame)."""
    from coach.grading.models import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        code = cli.main(args=argv, prog_name="coach", standalone_mode=False)
    except click.UsageError as exc:
        hint = f" (see 'coach {exc.ctx.command.name} --help')" if exc.ctx and exc.ctx.command.name != "cli" else ""
        _fail(exc.format_message().replace("\n", " ") + hint)
    except click.Abort:
        _fail("aborted", 1)
    except click.ClickException as exc:
        _fail(exc.format_message().replace("\n", " "), exc.exit_code)
    except CoachError as exc:
        _fail(exc.message.splitlines()[0] if exc.code != "bank_invalid" else exc.message.replace("\n", " | "))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
