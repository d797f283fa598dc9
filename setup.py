"""Build hook: every wheel carries the release built from records/ at wheel-build time."""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithRelease(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # a development install reads the checkout's build/ folder instead
        sys.path.insert(0, str(ROOT / "src"))
        from owatlas.release import build_release

        result = build_release(ROOT, Path(self.build_lib).resolve() / "owatlas" / "release", refresh_sources=False)
        if result.problems:
            for problem in result.problems:
                print(problem.text(), file=sys.stderr)
            raise SystemExit(f"cannot bundle the release: {len(result.problems)} problem(s) in records/")


# build/ is the release folder of the project, so setuptools builds elsewhere.
setup(cmdclass={"build_py": BuildPyWithRelease}, options={"build": {"build_base": ".setuptools-build"}})
