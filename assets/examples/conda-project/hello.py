"""`pyve run python hello.py` in the conda example."""
import os
import sys

print(f"hello from {os.environ.get('CONDA_PREFIX', sys.prefix)} (python {sys.version.split()[0]})")
