"""Regenerates every golden area: /usr/bin/python3 tools/golden/gen_all.py"""
import glob
import os
import runpy
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
for script in sorted(glob.glob(os.path.join(here, "gen_*.py"))):
    if os.path.basename(script) == "gen_all.py":
        continue
    print("==", os.path.basename(script))
    runpy.run_path(script, run_name="__main__")
