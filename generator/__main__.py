"""The maintainers' command line: `python -m generator check | build | serve | schema | import | report-form | report-import | report-summary`."""

from __future__ import annotations

import argparse
import atexit
import gc
import sys
from pathlib import Path

from generator.base.annotations import report
from generator.base.errors import ContentError, summary

ROOT = Path(__file__).resolve().parent.parent


def check(root: Path, strict: bool) -> int:
    """Validate content/; print every problem and the English coverage; return the exit code."""
    from generator.content.validate import coverage, load_content

    try:
        content, problems = load_content(root)
    except ContentError as error:
        print(summary(error.problems))
        report(error.problems, root)
        return 1
    report(problems, root)
    if problems:
        print(summary(problems))
    for plan, (translated, total) in coverage(content).items():
        print(
            f"{plan}: {len(next(p for p in content.plans if p.plan.id == plan).tasks)} tasks, "
            f"English {100 * translated / total:.1f}% ({translated}/{total} texts)"
        )
    if strict and problems:
        return 1
    print("content is valid")
    return 0


def main(argv: list[str] | None = None) -> int:
    # Content is millions of long-lived objects: with CPython's default thresholds the collector
    # rescans them dozens of times (validating 10,000 tasks took three times longer).
    gc.set_threshold(100_000)
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder (default: this checkout)")
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="validate content/ and report every problem")
    check_cmd.add_argument("--strict", action="store_true", help="fail on warnings (missing English) too")
    build_cmd = commands.add_parser("build", help="validate, render and build the site into site/")
    build_cmd.add_argument("--no-search", action="store_true", help="skip the search index (faster previews)")
    build_cmd.add_argument("--site", type=Path, help="output folder (default: site/)")
    commands.add_parser("schema", help="regenerate the JSON Schemas under content/schema/")
    summary_cmd = commands.add_parser(
        "report-summary", help="write the compiled report of a period (.docx, Vietnamese) as the site publishes it"
    )
    summary_cmd.add_argument("--plan", required=True, help="plan id, e.g. da-nang-2021")
    summary_cmd.add_argument("--period", required=True, help="period id, e.g. 2021-Q1")
    summary_cmd.add_argument("--out", type=Path, help="folder to write into (default: the current folder)")
    import_cmd = commands.add_parser("import", help="draft a plan's YAML from its signed decision (.docx, .txt, .md)")
    import_cmd.add_argument("file", type=Path, help="the decision: .docx, or its text/Markdown extraction")
    import_cmd.add_argument("--city", required=True, help="city id: content/cities/<CITY>.yaml")
    import_cmd.add_argument("--plan", required=True, help="plan id, e.g. da-nang-2022: content/plans/<PLAN>/")
    import_cmd.add_argument("--force", action="store_true", help="overwrite the plan's existing draft files")
    serve_cmd = commands.add_parser("serve", help="preview the site on 127.0.0.1, updated on every save")
    serve_cmd.add_argument("--port", type=int, default=8000)
    form_cmd = commands.add_parser("report-form", help="write each agency's Excel report form for a period")
    form_cmd.add_argument("--plan", required=True, help="plan id, e.g. da-nang-2021")
    form_cmd.add_argument("--period", required=True, help="reporting period, e.g. 2021-Q1")
    form_cmd.add_argument("--agency", action="append", help="only this agency (repeatable; default: every one)")
    form_cmd.add_argument("--out", type=Path, default=Path("forms"), help="output folder (default: forms/)")
    report_import_cmd = commands.add_parser("report-import", help="check filled report forms and write their reports")
    report_import_cmd.add_argument("files", type=Path, nargs="+", metavar="FILE", help="filled forms (.xlsx)")
    report_import_cmd.add_argument("--period", help="refuse forms of any other period (e.g. an old form sent again)")
    report_import_cmd.add_argument(
        "--replace", action="store_true", help="overwrite reports edited by hand since import"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "check":
        return check(root, args.strict)
    if args.command == "import":
        from generator.importer.command import run

        return run(args.file.resolve(), root, args.city, args.plan, args.force)
    if args.command == "schema":
        from generator.content.schema import SCHEMA_FOLDER, schema_files
        from generator.publish.write import write_tree

        write_tree(root / SCHEMA_FOLDER, schema_files())
        print(f"wrote {SCHEMA_FOLDER}/")
        return 0
    if args.command == "report-form":
        from generator.forms.report_form import command

        return command(root, args.plan, args.period, args.agency, args.out)
    if args.command == "report-import":
        from generator.forms.report_import import command as import_command

        return import_command(root, args.files, replace=args.replace, period=args.period)
    if args.command == "report-summary":
        from generator.publish.compiled_publish import command as report_summary
        from generator.publish.publication import build_time

        return report_summary(root, args.plan, args.period, args.out, build_time(root))
    # Each command imports what it runs, here and in its module: the build starts the renderer's runs
    # before it loads the content's modules (generator/publish/build.py).
    if args.command == "build":
        from generator.publish import build

        return build.command(root, args.site, search=not args.no_search)
    from generator.publish import preview

    return preview.serve(root, args.port)


if __name__ == "__main__":
    # Leave every object as it is to the end of the process: without this, CPython's last collection at
    # exit walks them all (0.25 s after a build of the real plans, 4 % of the build).
    atexit.register(gc.freeze)
    sys.exit(main())
