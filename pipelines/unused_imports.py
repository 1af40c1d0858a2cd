"""Optional imports that cost seconds and that nothing here uses, marked absent before anything
imports them (any layer may call :func:`skip_unused_imports`).

jsonschema (imported by Great Expectations, Altair, and nbformat in the report workers)
compiles rfc3987-syntax's IRI grammar when it is imported: about 1.3 s of CPU on this
machine, with the interpreter's lock held, for the ``iri`` and ``iri-reference`` format
checkers. No schema the workbook, Great Expectations, Altair or nbformat validates against
uses those formats; marked absent, jsonschema leaves those two checkers out, as it does
where the package is not installed. The mark lasts for the process (a JupyterLab kernel
that validated a consultation included).
"""

from __future__ import annotations

import sys

#: Modules marked absent (``sys.modules[name] = None``), so ``import name`` raises ImportError.
UNUSED_IMPORTS: tuple[str, ...] = ("rfc3987_syntax",)


def skip_unused_imports() -> None:
    """Mark :data:`UNUSED_IMPORTS` absent, unless one is already imported (in any process)."""
    for name in UNUSED_IMPORTS:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
