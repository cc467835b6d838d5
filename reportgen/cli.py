"""Command line: ``reportgen demo | build | validate | batch | diff | lint``. Reads top to bottom as the pipeline.

Exit codes: 0 success, 2 bad input (with Danish messages naming file, row, column and
value), 1 internal error. ``diff``: 0 no differences, 1 differences, 2 bad input.
``lint``: 0 clean (or only warnings), 1 warnings with ``--strict``, 2 errors or bad input. Heavy modules are imported inside the commands so that
``reportgen --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reportgen.compat.argparse_text import prefixed_formatter, retitle, translate_error
from reportgen.core.templating import message
from reportgen.core.version import __version__
from reportgen.errors import InputError, Problem, ReportgenError

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse in Danish: its usage prefix, group titles, -h and errors from cli.txt.j2
    (compat.argparse_text); subcommands get the same class."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", prefixed_formatter(message("cli", "usage_prefix") + " "))
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        retitle(self, message("cli", "title_positionals"), message("cli", "title_optionals"))
        self.add_argument("-h", "--help", action="help", help=message("cli", "help_help"))

    def error(self, text: str) -> None:  # argparse's own errors → exit 2, Danish lead
        self.print_usage(sys.stderr)
        words = lambda key, **parts: message("cli", f"argparse_{key}", **parts)  # noqa: E731
        print(message("cli", "command_error", text=translate_error(text, words)), file=sys.stderr)
        sys.exit(EXIT_INPUT)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="reportgen", description=message("cli", "description"),
                epilog=message("cli", "epilog"))
    p.add_argument("--version", action="version", version=f"reportgen {__version__}",
                   help=message("cli", "help_version"))
    sub = p.add_subparsers(dest="command", metavar=message("cli", "metavar_command"))
    d = sub.add_parser("demo", help=message("cli", "help_demo"))
    d.add_argument("--out", default="output/demo", metavar=message("cli", "metavar_folder"), help=message("cli", "help_demo_out"))
    b = sub.add_parser("build", help=message("cli", "help_build"))
    b.add_argument("case", metavar=message("cli", "metavar_case"), help=message("cli", "help_case"))
    b.add_argument("--out", default="output", metavar=message("cli", "metavar_folder"), help=message("cli", "help_build_out"))
    b.add_argument("--format", default="pdf,docx,html", metavar=message("cli", "metavar_formats"), help=message("cli", "help_format"))
    k = sub.add_parser("batch", help=message("cli", "help_batch"),
                       description=message("cli", "description_batch"))
    k.add_argument("runfile", metavar=message("cli", "metavar_runfile"), help=message("cli", "help_runfile"))
    k.add_argument("--jobs", type=_positive, default=None, metavar="N", help=message("cli", "help_jobs"))
    k.add_argument("--force", action="store_true", help=message("cli", "help_force"))
    k.add_argument("--out", default=None, metavar=message("cli", "metavar_folder"), help=message("cli", "help_batch_out"))
    s = sub.add_parser("serve", help=message("cli", "help_serve"))
    s.add_argument("--host", default="127.0.0.1", metavar=message("cli", "metavar_host"), help=message("cli", "help_host"))
    s.add_argument("--port", type=_positive, default=8000, help=message("cli", "help_port"))
    s.add_argument("--data", default="reportgen-data", metavar=message("cli", "metavar_folder"), help=message("cli", "help_data"))
    s.add_argument("--db", default=None, metavar="URL", help=message("cli", "help_db"))
    s.add_argument("--admin-password-file", default=None, metavar=message("cli", "metavar_file"), help=message("cli", "help_admin_password_file"))
    v = sub.add_parser("validate", help=message("cli", "help_validate"))
    v.add_argument("case", metavar=message("cli", "metavar_case"), help=message("cli", "help_case"))
    v.add_argument("--out", default="output", metavar=message("cli", "metavar_folder"), help=message("cli", "help_validate_out"))
    v.add_argument("--format", default="pdf,docx,html", metavar=message("cli", "metavar_formats"),
                   help=message("cli", "help_format"))
    df = sub.add_parser("diff", help=message("cli", "help_diff"),
                        description=message("cli", "description_diff"))
    df.add_argument("a", metavar="A", help=message("cli", "help_diff_a"))
    df.add_argument("b", metavar="B", help=message("cli", "help_diff_b"))
    df.add_argument("--json", action="store_true", help=message("cli", "help_diff_json"))
    df.add_argument("--no-color", action="store_true", help=message("cli", "help_no_color"))
    li = sub.add_parser("lint", help=message("cli", "help_lint"),
                        description=message("cli", "description_lint"))
    li.add_argument("case", metavar=message("cli", "metavar_case"), help=message("cli", "help_case"))
    li.add_argument("--strict", action="store_true", help=message("cli", "help_strict"))
    li.add_argument("--json", action="store_true", help=message("cli", "help_lint_json"))
    li.add_argument("--idag", type=_date, default=None, metavar=message("cli", "metavar_date"),
                    help=message("cli", "help_today"))
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return EXIT_OK
    try:
        if args.command == "demo":
            return _build(_demo_case(), Path(args.out), "pdf,docx,html", name=None)
        if args.command == "build":
            return _build(Path(args.case), Path(args.out), args.format)
        if args.command == "validate":
            return _validate(Path(args.case), Path(args.out), args.format)
        if args.command == "serve":
            return _serve(args)
        if args.command == "diff":
            return _diff(args.a, args.b, as_json=args.json, no_color=args.no_color)
        if args.command == "lint":
            return _lint(Path(args.case), strict=args.strict, as_json=args.json, today=args.idag)
        if args.command == "batch":
            from reportgen.run.batch import run_batch

            return run_batch(Path(args.runfile), jobs=args.jobs, force=args.force,
                             out=Path(args.out) if args.out else None)
    except InputError as exc:
        _print_problems(exc)
        return EXIT_INPUT
    except ReportgenError as exc:
        print(message("cli", "error", text=exc), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(message("cli", "interrupted"), file=sys.stderr)
        return 130
    except _Terminated:
        print(message("cli", "terminated"), file=sys.stderr)
        return 143
    except OSError as exc:  # the environment, not reportgen: a file that cannot be read or written
        _print_problems(InputError(Problem(message("cli", "file_unreadable", reason=exc.strerror or exc),
                                           file=str(exc.filename) if exc.filename else None)))
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - last resort: report, exit 1
        import traceback

        traceback.print_exc()
        print(message("cli", "internal_error", kind=type(exc).__name__, error=exc), file=sys.stderr)
        return EXIT_INTERNAL
    return EXIT_OK


class _Terminated(BaseException):
    """SIGTERM during ``build``: unwinds like Ctrl-C, so temporary files are removed and no
    final file is replaced by a partial one."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated()


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(message("cli", "expected_positive", text=text))
    return n


def _date(text: str) -> object:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(message("cli", "expected_date", text=text)) from None


def _diff(a: str, b: str, as_json: bool, no_color: bool) -> int:
    from reportgen.review.diff import compare

    comparison = compare(a, b)
    if as_json:
        sys.stdout.buffer.write(comparison.to_bytes())
    else:
        from rich.console import Console

        from reportgen.review.render import render_text

        render_text(comparison, Console(highlight=False, no_color=no_color or None))
    return EXIT_OK if comparison.empty else 1


def _lint(case: Path, strict: bool, as_json: bool, today: object) -> int:
    import json

    from reportgen.review.lint import exit_code, lint_case
    from reportgen.review.phrases import phrase

    issues = lint_case(case, today=today)  # type: ignore[arg-type]
    code = exit_code(issues, strict)
    if as_json:
        print(json.dumps({"sagsfil": str(case), "afslutningskode": code, "fund": [i.to_json() for i in issues]},
                         ensure_ascii=False, indent=2))
        return code
    if not issues:
        print(phrase("lint_ren"))
        return code
    for i in issues:
        print(f"{i.alvor}: {i.besked}" + (f" [{i.regel}; {i.sted}]" if i.sted else f" [{i.regel}]"))
    n_err = sum(1 for i in issues if i.alvor == "fejl")
    print(phrase("lint_sammendrag", fejl=n_err, advarsler=len(issues) - n_err))
    return code


def _formats(text: str) -> list[str]:
    from reportgen.api import FORMATS

    chosen = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise InputError(message("cli", "unknown_format", name=bad[0] if bad else text, names=list(FORMATS)))
    return chosen


def _build(case: Path, out: Path, formats: str, name: str | None = None) -> int:
    from reportgen.ingest import prefetch

    prefetch.start_for_case(case)  # an XLSX export is parsed on a thread meanwhile
    from reportgen.api import build, write
    from reportgen.render.pdfworker import PdfWorker

    from reportgen.core.atomic import check_output_dir

    chosen = _formats(formats)
    check_output_dir(out)  # before any work: a file in the way, no permission
    # The PDF is made in a forked process that warms up the case's PDF engine while this
    # one builds the report, and renders while this one makes the DOCX and HTML (two cores).
    worker = PdfWorker.start() if "pdf" in chosen else None
    import signal

    try:
        old_term = signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread
        old_term = None
    try:
        report = build(case, pdf_worker=worker)
        from reportgen.review.snapshot import SNAPSHOT_SUFFIX, snapshot

        indhold = {SNAPSHOT_SUFFIX.lstrip("."): snapshot(report, name=name).to_bytes()}
        paths = write(report, out, chosen, name=name, pdf_worker=worker, extra=indhold)
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
        if worker is not None:
            worker.close()
    for w in report.survey.account.warnings:
        print(message("cli", "warning", text=w), file=sys.stderr)
    print(message("cli", "built", draft=report.document.is_draft, case=case))
    for p in paths:
        print(f"  {p}")
    return EXIT_OK


def _validate(case_path: Path, out: Path, formats: str) -> int:
    from reportgen.ingest import prefetch

    prefetch.start_for_case(case_path)  # an XLSX export is parsed on a thread meanwhile
    from reportgen.api import load_brand, load_case
    from reportgen.core import fmt
    from reportgen.document.profile import load_profile
    from reportgen.ingest.sources import load_all
    from reportgen.models.survey import BLANK, MISSING_CODE, MISSING_LABEL

    from reportgen.core.atomic import check_output_dir

    chosen = _formats(formats)
    check_output_dir(out)
    # What build reads, checked as build checks it — the case file, the profile, the theme,
    # every data file (export, earlier exports, benchmark table) — without the analysis,
    # the text, the charts or the document, which only use input already checked here.
    case, base = load_case(case_path)
    load_profile(case.profil, base)
    if case.tema:
        load_brand(case.tema, base)
    survey = load_all(case, base, case_file=str(case_path))
    acc = survey.account
    df, kinds = survey.responses, survey.missing_kind
    is_focus = (df["kommune"] == survey.focus).to_numpy()
    if acc.period:
        is_focus = is_focus & (df["periode"] == acc.period).to_numpy()
    print(message("cli", "validate_case", path=case_path, profile=case.profil, status=case.sag.status))
    print(message("cli", "validate_files", files=list(acc.files)))
    for source in acc.sources:
        print(message("cli", "validate_source", source=source))
    print(message("cli", "validate_rows", rows_read=acc.rows_read, rows_used=acc.rows_used))
    for why, n in acc.rows_excluded.items():
        print(message("cli", "validate_excluded", n=n, why=why))
    if acc.rows_earlier or acc.rows_later:
        print(message("cli", "validate_rows_period", period=acc.period, n=acc.rows_period))
    if acc.rows_earlier:
        print(message("cli", "validate_rows_earlier", n=acc.rows_earlier))
    if acc.rows_later:
        print(message("cli", "validate_rows_later", n=acc.rows_later))
    print(message("cli", "validate_municipalities", municipalities=df["kommune"].nunique(), focus=survey.focus,
                  n=int(is_focus.sum()), period=acc.period))
    if survey.periods:
        print(message("cli", "validate_periods", periods=list(survey.periods),
                      period=acc.period or survey.periods[-1]))
    print(message("cli", "validate_questions", questions=len(survey.questions), themes=len(survey.themes)))
    print(message("cli", "validate_table_header", several_periods=len(survey.periods) > 1))
    for q in survey.questions:
        k = kinds[q.id].to_numpy()
        valid = int((~df[q.id].isna()).sum())
        print(f"  {q.number:<5} {q.column:<14} {fmt.integer(valid):>7}  {fmt.integer(int((k == BLANK).sum())):>6}"
              f"  {fmt.integer(int((k == MISSING_LABEL).sum())):>13}  {fmt.integer(int((k == MISSING_CODE).sum())):>15}")
    for w in acc.warnings:
        print(message("cli", "warning", text=w))
    print(message("cli", "validate_would_write", paths=[str(out / f"{case_path.stem}.{f}") for f in chosen]))
    print(message("cli", "validate_done"))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from reportgen.web.app import create_app

    password = None
    if args.admin_password_file:
        path = Path(args.admin_password_file)
        if not path.is_file():
            raise InputError(message("cli", "password_file_missing", path=path))
        password = path.read_text(encoding="utf-8").strip()
        if len(password) < 8:
            raise InputError(message("cli", "password_too_short", path=path))
    app = create_app(Path(args.data), args.db, admin_password=password)
    if app.state.one_time_password:
        print(message("cli", "admin_created", password=app.state.one_time_password))
    print(message("cli", "serving", host=args.host, port=args.port, data=args.data), flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK


def _demo_case() -> Path:
    here = Path(__file__).resolve().parent
    for cand in (here / "demo" / "sag.yaml", here.parent / "fixtures" / "demo" / "sag.yaml"):
        if cand.is_file():
            return cand
    raise ReportgenError(message("cli", "demo_not_found"))


def _print_problems(exc: InputError) -> None:
    print(message("cli", "input_errors", n=len(exc.problems)), file=sys.stderr)
    for p in exc.problems:
        print(f"  • {p}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
