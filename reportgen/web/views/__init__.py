"""One module per kind of page: login, cases (list, new), mapping, texts, builds, admin."""
