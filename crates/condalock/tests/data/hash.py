#!/usr/bin/env python3
"""Compute conda-lock content hashes with conda-lock's own Python API (no solving).

The `condalock` crate (crates/condalock) re-implements conda-lock's content hash; the tests in
`crates/condalock/tests/conda_lock_hash.rs` compare it with the numbers this script gets from conda-lock
itself. It needs a Python where `import conda_lock` works, e.g.

    python3 -m venv /tmp/cl && /tmp/cl/bin/pip install 'conda-lock==4.0.3'

Usage (paths are relative to this script's directory unless absolute):

    hash.py expected            print the expectations for every case in cases.json
    hash.py expected --write    ... and write them to expected.json
    hash.py specs               print conda-lock's parse of every string in specs.json
    hash.py specs --write       ... and write them to specs-expected.json
    hash.py locks               (re)write the conda-lock.yml fixtures listed in cases.json
                                under "locks", with metadata.content_hash from conda-lock
    hash.py hash ENV.yml [ENV2.yml …] [--platform P]… [--virtual-package-spec F]
                                [--with-cuda V | --without-cuda] [--no-virtual-packages]
                                [--show-json]
                                print {platform: {content_hash, accepted}} for ad-hoc files

No network is used: the PyPI→conda name mapping (which conda-lock only consults for the
`pip` package it adds when an env file has a `pip:` section) is replaced by a tiny local
mapping file; `pip` maps to `pip` in the real mapping too.

What is computed, per platform:
  content_hash  compute_content_hashes(spec, vpr)[platform] - what `conda-lock lock`
                writes into metadata.content_hash
  accepted      sorted(backwards_compatible_content_hashes(spec, vpr, platform)) - the
                hashes `conda-lock lock --check-input-hash` accepts as "up to date"
where spec = make_lock_spec(src_files=…, platform_overrides=…) and vpr is built exactly
like make_lock_files does (virtual-packages spec file, or the default repo with the
--with-cuda/--without-cuda choice).
"""

import argparse
import json
import os
import pathlib
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent


def _mapping_file(tmpdir: str) -> str:
    path = pathlib.Path(tmpdir) / "mapping.json"
    path.write_text(
        json.dumps({"pip": {"conda_name": "pip", "conda_forge": "pip", "pypi_name": "pip"}})
    )
    return str(path)


def _vpr(virtual_packages):
    from conda_lock.virtual_package import (
        default_virtual_package_repodata,
        virtual_package_repo_from_specification,
    )

    kind = (virtual_packages or {}).get("kind", "default")
    if kind == "none":
        return None
    if kind == "spec":
        return virtual_package_repo_from_specification(_path(virtual_packages["path"]))
    cuda = virtual_packages.get("cuda", "default") if virtual_packages else "default"
    return default_virtual_package_repodata(cuda_version=cuda)


def _path(p: str) -> pathlib.Path:
    path = pathlib.Path(p)
    return path if path.is_absolute() else HERE / path


def hashes_for(sources, platforms, virtual_packages, channels, mapping_url, show_json=False):
    from conda_lock.content_hash import (
        _content_for_platform,
        _dict_to_json,
        _reinsert_spurious_build_number,
        _remove_new_nulls,
        backwards_compatible_content_hashes,
        compute_content_hashes,
    )
    from conda_lock.src_parser import make_lock_spec

    spec = make_lock_spec(
        src_files=[_path(s) for s in sources],
        channel_overrides=channels or None,
        platform_overrides=platforms or None,
        mapping_url=mapping_url,
    )
    vpr = _vpr(virtual_packages)
    written = compute_content_hashes(spec, vpr)
    out = {}
    for platform in spec.platforms:
        out[platform] = {
            "content_hash": written[platform],
            "accepted": sorted(backwards_compatible_content_hashes(spec, vpr, platform)),
        }
        if show_json:
            # The exact text whose sha256 is content_hash.
            v = _reinsert_spurious_build_number(vpr) if vpr is not None else None
            out[platform]["json"] = _dict_to_json(
                _remove_new_nulls(_content_for_platform(spec, platform, v))
            )
    return out


def cmd_expected(args, mapping_url):
    import conda_lock

    cases = json.loads((HERE / "cases.json").read_text())
    result = {"conda_lock_version": conda_lock.__version__, "cases": {}}
    for case in cases["cases"]:
        try:
            result["cases"][case["name"]] = hashes_for(
                case["sources"],
                case.get("platforms"),
                case.get("virtual_packages"),
                case.get("channels"),
                mapping_url,
            )
        except Exception as e:  # noqa: BLE001 - conda-lock failing is an expectation too
            # Only the exception type: messages carry library versions and URLs.
            print(f"{case['name']}: conda-lock fails: {type(e).__name__}: {e}", file=sys.stderr)
            result["cases"][case["name"]] = {"error": type(e).__name__}
    _emit(result, "expected.json", args.write)


def cmd_specs(args, mapping_url):
    import conda_lock

    from conda_lock.src_parser.conda_common import conda_spec_to_versioned_dep
    from conda_lock.src_parser.pyproject_toml import parse_python_requirement

    specs = json.loads((HERE / "specs.json").read_text())
    result = {"conda_lock_version": conda_lock.__version__, "conda": {}, "pip": {}}
    for s in specs["conda"]:
        try:
            dep = conda_spec_to_versioned_dep(s, "main")
            result["conda"][s] = dep.model_dump()
        except Exception as e:  # noqa: BLE001 - an error is an expectation too
            result["conda"][s] = {"error": type(e).__name__}
    # parse_python_requirement checks whether a path dependency is a directory
    # relative to the working directory; run it from this directory.
    old = os.getcwd()
    os.chdir(HERE)
    try:
        for s in specs["pip"]:
            try:
                dep = parse_python_requirement(
                    s, manager="pip", category="main", mapping_url=mapping_url
                )
                d = dep.model_dump()
                d["type"] = type(dep).__name__
                result["pip"][s] = d
            except BaseException as e:  # noqa: BLE001
                result["pip"][s] = {"error": type(e).__name__}
    finally:
        os.chdir(old)
    _emit(result, "specs-expected.json", args.write)


def cmd_hash(args, mapping_url):
    vp = None
    if args.no_virtual_packages:
        vp = {"kind": "none"}
    elif args.virtual_package_spec:
        vp = {"kind": "spec", "path": str(pathlib.Path(args.virtual_package_spec).resolve())}
    elif args.without_cuda:
        vp = {"kind": "default", "cuda": ""}
    elif args.with_cuda:
        vp = {"kind": "default", "cuda": args.with_cuda}
    sources = [str(pathlib.Path(s).resolve()) for s in args.files]
    out = hashes_for(
        sources, args.platform, vp, args.channel, mapping_url, show_json=args.show_json
    )
    print(json.dumps(out, indent=2, sort_keys=True))


def cmd_locks(args, mapping_url):
    """Write locks/<dir>/conda-lock.yml for each entry of cases.json["locks"].

    The content hashes come from conda-lock (hashes_for). An entry may compute them from
    another file than the one it lists in metadata.sources ("hash_from"), which is how a
    lock goes stale; "record": "legacy" records a hash conda-lock accepts but no longer
    writes (backwards_compatible_content_hashes minus compute_content_hashes).
    """
    import yaml

    cases = json.loads((HERE / "cases.json").read_text())
    for entry in cases["locks"]:
        d = HERE / "locks" / entry["dir"]
        lock_dir = d / entry.get("lock_dir", ".")
        hash_from = [str(d / s) for s in entry.get("hash_from", entry["sources"])]
        vp = entry.get("virtual_packages")
        if vp and vp.get("kind") == "spec":
            vp = dict(vp, path=str(d / vp["path"]))
        hashes = hashes_for(hash_from, entry.get("platforms"), vp, None, mapping_url)
        content_hash = {}
        for platform, h in sorted(hashes.items()):
            if entry.get("record") == "legacy":
                legacy = sorted(set(h["accepted"]) - {h["content_hash"]})
                content_hash[platform] = legacy[0]
            else:
                content_hash[platform] = h["content_hash"]
        for platform in entry.get("drop_platforms", []):
            content_hash.pop(platform, None)
        platforms = [p for p in hashes if p in content_hash]
        lock = {
            "version": 1,
            "metadata": {
                "content_hash": content_hash,
                "channels": [{"url": "conda-forge", "used_env_vars": []}],
                "platforms": platforms,
                "sources": entry["sources"] if entry.get("lock_dir") is None else entry["lock_sources"],
            },
            "package": [
                {
                    "name": "python",
                    "version": "3.11.7",
                    "manager": "conda",
                    "platform": platform,
                    "dependencies": {"libzlib": ">=1.2.13,<1.3.0a0"},
                    "url": f"https://conda.anaconda.org/conda-forge/{platform}/python-3.11.7-fake_0.conda",
                    "hash": {"md5": "0" * 32, "sha256": "0" * 64},
                    "category": "main",
                    "optional": False,
                }
                for platform in platforms
            ],
        }
        header = (
            "# Test fixture for condalock (crates/condalock/tests/conda_lock_hash.rs), written by\n"
            "# crates/condalock/tests/data/hash.py locks; metadata.content_hash comes from\n"
            "# conda-lock's own compute_content_hashes. The packages are fake.\n"
        )
        lock_dir.mkdir(parents=True, exist_ok=True)
        (lock_dir / "conda-lock.yml").write_text(header + yaml.dump(lock, sort_keys=False))
        print(f"wrote {lock_dir / 'conda-lock.yml'}", file=sys.stderr)


def _emit(result, name, write):
    text = json.dumps(result, indent=2, sort_keys=True) + "\n"
    if write:
        (HERE / name).write_text(text)
        print(f"wrote {HERE / name}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("expected")
    p.add_argument("--write", action="store_true")
    p = sub.add_parser("specs")
    p.add_argument("--write", action="store_true")
    sub.add_parser("locks")
    p = sub.add_parser("hash")
    p.add_argument("files", nargs="+")
    p.add_argument("--platform", action="append")
    p.add_argument("--channel", action="append")
    p.add_argument("--virtual-package-spec")
    p.add_argument("--with-cuda")
    p.add_argument("--without-cuda", action="store_true")
    p.add_argument("--no-virtual-packages", action="store_true")
    p.add_argument("--show-json", action="store_true", help="also print the hashed JSON")
    args = parser.parse_args()

    # Keep conda-lock's warnings (filtered selector lines, …) off stdout.
    import logging

    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="pyve-conda-lock-") as tmp:
        mapping_url = _mapping_file(tmp)
        {
            "expected": cmd_expected,
            "specs": cmd_specs,
            "locks": cmd_locks,
            "hash": cmd_hash,
        }[args.cmd](
            args, mapping_url
        )


if __name__ == "__main__":
    main()
