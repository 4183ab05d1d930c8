"""``python -m newsledger.geo [PATH]``: (re)build the gazetteer; see build.py."""

from newsledger.geo.build import main

if __name__ == "__main__":
    raise SystemExit(main())
