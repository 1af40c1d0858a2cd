"""Which packages made a run, said once: the manifest records them all, a report's "Where the
numbers came from" names the ones a reader would ask about."""

from __future__ import annotations

import importlib.metadata

WORKBOOK = "participation-workbook"
MANIFEST_PACKAGES = (
    WORKBOOK, "polars", "altair", "vl-convert-python", "great-expectations",
    "papermill", "nbconvert", "nh3", "pyarrow", "pandas",
)  # fmt: skip
REPORT_PACKAGES = (
    "polars",
    "altair",
    "great-expectations",
    "papermill",
    "nbconvert",
    "vl-convert-python",
)


def package_versions(names: tuple[str, ...] = MANIFEST_PACKAGES) -> dict[str, str]:
    """Installed version of each named package, in the order given; packages not installed
    are left out."""
    versions = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions
