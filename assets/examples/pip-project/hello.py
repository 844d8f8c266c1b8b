"""A tiny program for `pyve run python hello.py`."""
import sys

print(f"hello from {sys.prefix} (python {sys.version.split()[0]})")
