"""Runs above the public API: ``batch`` builds many reports from a run file
(``runfile``) — planned items (``plan``), data read once (``focus``), per-item builds
(``itembuild``) in a worker pool (``pool``), a manifest of what was built from what
(``manifest``) and a run log (``runlog``)."""
