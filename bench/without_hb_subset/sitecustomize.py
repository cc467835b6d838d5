"""Hide HarfBuzz's subsetter (libharfbuzz-subset) from this Python process and its children.

``bench/run.py --without-hb-subset`` (and ``make bench``) put this folder first on
``PYTHONPATH``: Python imports ``sitecustomize`` at start-up, before WeasyPrint is imported,
and the wrapped ``cffi.FFI.dlopen`` then fails for the subsetter's names the way it fails on
a machine without the package — WeasyPrint falls back to fontTools, as on a fresh machine.
The installed library is left alone.
"""

from __future__ import annotations

try:
    import cffi
except ImportError:  # pragma: no cover - no cffi, no WeasyPrint
    cffi = None

if cffi is not None and not getattr(cffi.FFI.dlopen, "_hides_hb_subset", False):
    _dlopen = cffi.FFI.dlopen

    def dlopen(self, name, flags=0):  # type: ignore[no-untyped-def]
        if isinstance(name, str) and "harfbuzz-subset" in name:
            raise OSError(f"{name}: hidden by bench/without_hb_subset")
        return _dlopen(self, name, flags)

    dlopen._hides_hb_subset = True  # type: ignore[attr-defined]
    cffi.FFI.dlopen = dlopen
