"""Time owatlas against a naive pipeline and the floor, side by side, on one synthetic corpus.

    python benchmarks/run.py 10000 --runs 3 [--keep /tmp/corpus-10k]

Every step runs as its own process, once per round, the rounds one after the other; the table
gives each step's median wall time and range over the rounds, its peak memory (maximum resident
set size), and its time as a multiple of the floor (read the bytes and parse the same content
as JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

PYTHON = sys.executable
OWATLAS = [PYTHON, "-c", "from owatlas.cli import main; main()"]

NAIVE = """
import sys, yaml, pandas
from pathlib import Path
from owatlas.schema import TABLES
rows = {table: [] for table in TABLES}
for path in sorted(Path("records").glob("*/*.yaml")):
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    rows[path.parent.name].append(TABLES[path.parent.name].model_validate(data).model_dump())
Path("naive").mkdir(exist_ok=True)
for table, records in rows.items():
    pandas.DataFrame(records).to_csv(f"naive/{table}.csv", index=False)
"""

PYYAML_PARSE = """
import yaml
from pathlib import Path
for path in sorted(Path("records").glob("*/*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
"""

FLOOR = """
import json
from pathlib import Path
for path in sorted(Path("json").glob("*/*.json")):
    json.loads(path.read_bytes())
"""


def measure(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (MB) of one run of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss // 1024


def json_copy(corpus: Path) -> None:
    """The same records as JSON files, for the floor (made once, not timed)."""
    import yaml

    for path in (corpus / "records").glob("*/*.yaml"):
        target = corpus / "json" / path.parent.name / f"{path.stem}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=int)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="corpus folder to reuse or create")
    parser.add_argument("--skip-naive", action="store_true", help="leave out the naive pipeline and the PyYAML parse (slow at 100,000)")
    args = parser.parse_args()

    corpus = args.keep or Path(tempfile.mkdtemp(prefix="owatlas-bench-"))
    # Made in a child process: a forked child's peak memory would otherwise include this one's.
    prepare = f"import sys; sys.path.insert(0, {str(HERE)!r}); from pathlib import Path; import run, generate; corpus = Path({str(corpus)!r})\n"
    prepare += f"if not (corpus / 'records').is_dir(): generate.generate({args.records}, corpus)\n"
    prepare += "if not (corpus / 'json').is_dir(): run.json_copy(corpus)\n"
    subprocess.run([PYTHON, "-c", prepare], check=True)
    one = sorted((corpus / "records" / "models").glob("*.yaml"))[len(list((corpus / "records" / "models").glob("*.yaml"))) // 2]

    steps = {
        "floor: read + JSON parse": [PYTHON, "-c", FLOOR],
        "owatlas validate": OWATLAS + ["validate"],
        "owatlas build": OWATLAS + ["build"],
        "owatlas validate ONE_FILE": OWATLAS + ["validate", str(one.relative_to(corpus))],
        "import owatlas": [PYTHON, "-c", "import owatlas"],
        "owatlas.load('models') (bundled)": [PYTHON, "-c", "import owatlas; owatlas.load('models')"],
    }
    if not args.skip_naive:
        steps["PyYAML (pure) parse only"] = [PYTHON, "-c", PYYAML_PARSE]
        steps["naive: PyYAML + pydantic + pandas CSV"] = [PYTHON, "-c", NAIVE]

    measure(steps["floor: read + JSON parse"], corpus)  # untimed: the first read after writing the corpus is cold
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name in steps}
    for round_number in range(args.runs):
        # One run of every step per round: a slow spell of the machine then touches all steps alike.
        for name, command in steps.items():
            runs[name].append(measure(command, corpus))
            print(f"round {round_number + 1}: {name}: {runs[name][-1][0]:.2f} s, {runs[name][-1][1]} MB", file=sys.stderr)
    results = {name: (statistics.median(t for t, _ in found), min(t for t, _ in found), max(t for t, _ in found), max(m for _, m in found)) for name, found in runs.items()}

    floor = results["floor: read + JSON parse"][0]
    print(f"\n{args.records} records, median of {args.runs} interleaved runs, {os.cpu_count()} cores\n")
    print("| step | wall time | range | × floor | peak memory |\n|---|---|---|---|---|")
    for name, (seconds, fastest, slowest, memory) in results.items():
        print(f"| {name} | {seconds:.2f} s | {fastest:.2f}–{slowest:.2f} s | {seconds / floor:.1f}× | {memory} MB |")
    if "PyYAML (pure) parse only" in results:
        ratio = results["PyYAML (pure) parse only"][0] / results["owatlas build"][0]
        print(f"\nowatlas build is {ratio:.1f}× faster than parsing the same files with pure-Python PyYAML.")


if __name__ == "__main__":
    main()
