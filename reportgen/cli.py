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

from reportgen.core.version import __version__
from reportgen.errors import InputError, Problem, ReportgenError

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors → exit 2, Danish lead
        self.print_usage(sys.stderr)
        print(f"reportgen: fejl i kommandoen: {message}", file=sys.stderr)
        sys.exit(EXIT_INPUT)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="reportgen", description="Danner sagsfremstillinger (PDF, DOCX, HTML) fra borgerundersøgelser.",
                epilog="Eksempel: reportgen build sag.yaml --out output/ --format pdf,docx")
    p.add_argument("--version", action="version", version=f"reportgen {__version__}")
    sub = p.add_subparsers(dest="command", metavar="KOMMANDO")
    d = sub.add_parser("demo", help="dan eksempelsagen til output/demo/")
    d.add_argument("--out", default="output/demo", help="outputmappe (standard: output/demo)")
    b = sub.add_parser("build", help="dan en sagsfremstilling ud fra en sagsfil")
    b.add_argument("case", help="sagsfilen (YAML)")
    b.add_argument("--out", default="output", help="outputmappe (standard: output)")
    b.add_argument("--format", default="pdf,docx,html", help="kommasepareret: pdf, docx, html (standard: alle)")
    k = sub.add_parser("batch", help="dan sagsfremstillinger for mange kommuner og perioder ud fra en kørselsfil",
                       description="Danner en sagsfremstilling pr. kommune og periode, som kørselsfilen angiver, "
                       "med manifest, genbrug af uændrede filer og fejlisolering (se docs/batch.md). "
                       "Afslutningskode: 0 alt dannet, 2 fejl i input, 1 intern fejl, 130/143 afbrudt.")
    k.add_argument("runfile", metavar="KOERSEL", help="kørselsfilen (YAML)")
    k.add_argument("--jobs", type=_positive, default=None, metavar="N", help="antal processer (standard: antal kerner)")
    k.add_argument("--force", action="store_true", help="dan alt igen, også det uændrede")
    k.add_argument("--out", default=None, metavar="MAPPE", help="outputmappe (standard: koersel.output i kørselsfilen)")
    s = sub.add_parser("serve", help="start webappen for sagsbehandlere (lokalt, i browseren)")
    s.add_argument("--host", default="127.0.0.1", help="adresse (standard: 127.0.0.1)")
    s.add_argument("--port", type=_positive, default=8000, help="port (standard: 8000)")
    s.add_argument("--data", default="reportgen-data", help="datamappe (standard: ./reportgen-data/)")
    s.add_argument("--db", default=None, metavar="URL", help="database-URL, fx postgresql+psycopg://... (standard: SQLite i datamappen)")
    s.add_argument("--admin-password-file", default=None, metavar="FIL", help="fil med adgangskoden til admin ved første start")
    v = sub.add_parser("validate", help="kontrollér input og vis, hvad der ville blive dannet (skriver intet)")
    v.add_argument("case", help="sagsfilen (YAML)")
    v.add_argument("--out", default="output", help="outputmappe, der ville blive brugt")
    v.add_argument("--format", default="pdf,docx,html")
    df = sub.add_parser("diff", help="vis, hvad der er ændret mellem to versioner (tal, sætninger, tekster, input)",
                        description="Sammenligner to byggerier: to byggemapper, to .indhold.json-filer eller to "
                        "manifester fra reportgen batch (se docs/gennemsyn.md). Afslutningskode: 0 ingen forskelle, "
                        "1 forskelle, 2 fejl i input.")
    df.add_argument("a", metavar="A", help="den første (ældre) version")
    df.add_argument("b", metavar="B", help="den anden (nyere) version")
    df.add_argument("--json", action="store_true", help="skriv forskellene som JSON")
    df.add_argument("--no-color", action="store_true", help="ingen farver; ændrede ord markeres [-sådan-] {+sådan+}")
    li = sub.add_parser("lint", help="gennemsyn en sagsfil: pladsholdere, datoer, indstilling, små grupper m.m.",
                        description="Kontrollerer det, en omhyggelig læser ser efter, før sagen sendes videre "
                        "(se docs/gennemsyn.md). Afslutningskode: 0 ingen fejl, 1 advarsler med --strict, "
                        "2 fejl eller fejl i input.")
    li.add_argument("case", help="sagsfilen (YAML)")
    li.add_argument("--strict", action="store_true", help="afslut med kode 1, hvis der er advarsler")
    li.add_argument("--json", action="store_true", help="skriv fundene som JSON")
    li.add_argument("--idag", type=_date, default=None, metavar="ÅÅÅÅ-MM-DD",
                    help="dagens dato for datoreglerne (standard: i dag)")
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
        print(f"reportgen: fejl: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("reportgen: afbrudt", file=sys.stderr)
        return 130
    except _Terminated:
        print("reportgen: afbrudt (SIGTERM); ingen filer er ændret", file=sys.stderr)
        return 143
    except OSError as exc:  # the environment, not reportgen: a file that cannot be read or written
        _print_problems(InputError(Problem(f"Filen kan ikke læses eller skrives ({exc.strerror or exc})",
                                           file=str(exc.filename) if exc.filename else None)))
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - last resort: report, exit 1
        import traceback

        traceback.print_exc()
        print(f"reportgen: intern fejl ({type(exc).__name__}: {exc}). Dette er en fejl i reportgen; "
              "meld den gerne med sagsfilen vedlagt.", file=sys.stderr)
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
        raise argparse.ArgumentTypeError(f"forventet et helt tal på mindst 1, fik '{text}'")
    return n


def _date(text: str) -> object:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"forventet en dato på formen ÅÅÅÅ-MM-DD, fik '{text}'") from None


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
        raise InputError(f"Ukendt format '{bad[0] if bad else text}' (forventet: {', '.join(FORMATS)})")
    return chosen


def _build(case: Path, out: Path, formats: str, name: str | None = None) -> int:
    from reportgen.ingest import prefetch

    prefetch.start_for_case(case)  # an XLSX export is parsed on a thread meanwhile
    from reportgen.api import build, write
    from reportgen.render.pdfworker import PdfWorker

    from reportgen.core.atomic import check_output_dir

    chosen = _formats(formats)
    check_output_dir(out)  # before any work: a file in the way, no permission
    # The PDF is laid out in a forked process that imports WeasyPrint while this one
    # builds the report, and renders while this one makes the DOCX and HTML (two cores).
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
        print(f"advarsel: {w}", file=sys.stderr)
    status = "udkast" if report.document.is_draft else "endelig"
    print(f"Dannet ({status}) fra {case}:")
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
    print(f"Sagsfil: {case_path} (profil: {case.profil}, status: {case.sag.status})")
    print(f"Filer: {', '.join(acc.files)}")
    for source in acc.sources:
        print(f"  læst: {source}")
    print(f"Rækker indlæst: {fmt.integer(acc.rows_read)}; brugt: {fmt.integer(acc.rows_used)}")
    for why, n in acc.rows_excluded.items():
        print(f"  udeladt: {fmt.integer(n)} ({why})")
    if acc.rows_earlier or acc.rows_later:
        print(f"  heraf i den analyserede periode {acc.period}: {fmt.integer(acc.rows_period)}")
    if acc.rows_earlier:
        print(f"  heraf fra tidligere perioder: {fmt.integer(acc.rows_earlier)} (bruges kun til udviklingen)")
    if acc.rows_later:
        print(f"  heraf fra senere perioder: {fmt.integer(acc.rows_later)} (bruges ikke)")
    munis = df["kommune"].nunique()
    where = f" i {acc.period}" if acc.period else ""
    print(f"Kommuner: {munis}; fokus: {survey.focus} med {fmt.integer(int(is_focus.sum()))} besvarelser{where}")
    if survey.periods:
        print(f"Perioder: {', '.join(survey.periods)} (rapporten bygger på {acc.period or survey.periods[-1]})")
    print(f"Spørgsmål: {len(survey.questions)} i {len(survey.themes)} temaer")
    every = "alle kommuner og perioder" if len(survey.periods) > 1 else "alle kommuner"
    print(f"  nr.   kolonne        gyldige  blanke  ved ikke o.l.  manglende koder   ({every})")
    for q in survey.questions:
        k = kinds[q.id].to_numpy()
        valid = int((~df[q.id].isna()).sum())
        print(f"  {q.number:<5} {q.column:<14} {fmt.integer(valid):>7}  {fmt.integer(int((k == BLANK).sum())):>6}"
              f"  {fmt.integer(int((k == MISSING_LABEL).sum())):>13}  {fmt.integer(int((k == MISSING_CODE).sum())):>15}")
    for w in acc.warnings:
        print(f"advarsel: {w}")
    print("Ville danne: " + ", ".join(str(out / f"{case_path.stem}.{f}") for f in chosen))
    print("Ingen fejl fundet. Intet er skrevet.")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from reportgen.web.app import create_app

    password = None
    if args.admin_password_file:
        path = Path(args.admin_password_file)
        if not path.is_file():
            raise InputError(f"Filen med adgangskoden findes ikke: '{path}'")
        password = path.read_text(encoding="utf-8").strip()
        if len(password) < 8:
            raise InputError(f"Adgangskoden i '{path}' er for kort (forventet: mindst 8 tegn)")
    app = create_app(Path(args.data), args.db, admin_password=password)
    if app.state.one_time_password:
        print(f"Brugeren 'admin' er oprettet med engangsadgangskoden: {app.state.one_time_password}")
    print(f"reportgen kører på http://{args.host}:{args.port}/ (data i {args.data}). Stop med Ctrl+C.", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK


def _demo_case() -> Path:
    here = Path(__file__).resolve().parent
    for cand in (here / "demo" / "sag.yaml", here.parent / "fixtures" / "demo" / "sag.yaml"):
        if cand.is_file():
            return cand
    raise ReportgenError("Eksempelsagen blev ikke fundet i installationen")


def _print_problems(exc: InputError) -> None:
    n = len(exc.problems)
    print(f"reportgen: {n} fejl i input – intet er skrevet:" if n != 1 else
          "reportgen: fejl i input – intet er skrevet:", file=sys.stderr)
    for p in exc.problems:
        print(f"  • {p}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
