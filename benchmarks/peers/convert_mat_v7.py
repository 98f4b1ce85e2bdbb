"""Convert MATLAB v7.3 (HDF5) .mat files to MATLAB v7 .mat files that GNU Octave can load.

tariffwar (github.com/ahmadlp/tariffwar) ships its data cubes in ``mat/`` as MATLAB v7.3
files (HDF5 containers); GNU Octave 7 cannot read those. This script rewrites them, value for
value, as v7 files with the same variable/struct layout:

* structs (HDF5 groups with ``MATLAB_class = struct``) -> MATLAB structs, fields in their
  original order (``MATLAB_fields``);
* numeric / logical arrays -> the same class and the same MATLAB shape (HDF5 stores arrays
  in reversed axis order, so every array is transposed back);
* ``char`` (UTF-16 code units) -> char row vectors;
* ``cell`` (arrays of object references into ``#refs#``) -> cell arrays of the same shape
  (tariffwar's ``countries`` / ``sectors`` are N x 1 cellstrs);
* empty arrays (``MATLAB_empty``) -> empty arrays of the same class and shape.

Usage::

    python benchmarks/peers/convert_mat_v7.py SRC.mat [SRC2.mat ...] --out-dir DIR
    python benchmarks/peers/convert_mat_v7.py --check DIR/WIOD2014.mat SRC.mat   # round-trip check

Only h5py, numpy and scipy are needed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import h5py
import numpy as np
import scipy.io

_NUMERIC = {
    "double": np.float64,
    "single": np.float32,
    "int8": np.int8,
    "uint8": np.uint8,
    "int16": np.int16,
    "uint16": np.uint16,
    "int32": np.int32,
    "uint32": np.uint32,
    "int64": np.int64,
    "uint64": np.uint64,
}


def _attr_str(obj: h5py.HLObject, name: str) -> str | None:
    val = obj.attrs.get(name)
    if val is None:
        return None
    if isinstance(val, bytes | np.bytes_):
        return val.decode()
    return str(val)


def _matlab_shape(ds: h5py.Dataset) -> tuple[int, ...]:
    return tuple(reversed(ds.shape))


def _read(f: h5py.File, obj: h5py.HLObject):  # noqa: ANN202 - returns any MATLAB value
    cls = _attr_str(obj, "MATLAB_class")
    if isinstance(obj, h5py.Group):
        if cls not in (None, "struct"):
            raise TypeError(f"{obj.name}: MATLAB class {cls!r} stored as a group")
        fields = obj.attrs.get("MATLAB_fields")
        if fields is not None:
            names = [b"".join(fld).decode() for fld in fields]
        else:
            names = list(obj.keys())
        return {name: _read(f, obj[name]) for name in names}

    ds: h5py.Dataset = obj
    if obj.attrs.get("MATLAB_empty", 0):
        dims = tuple(int(d) for d in np.asarray(ds[()]).ravel()) or (0, 0)
        if cls == "char":
            return np.zeros(dims, dtype="U1")
        if cls == "cell":
            return np.empty(dims, dtype=object)
        return np.zeros(dims, dtype=_NUMERIC.get(cls, np.float64))
    data = ds[()]
    if cls == "char":
        codes = np.asarray(data).T  # MATLAB shape
        if codes.ndim == 2 and codes.shape[0] == 1:
            return "".join(chr(c) for c in codes.ravel())
        if codes.ndim == 2:  # char matrix: one string per row
            return np.array(["".join(chr(c) for c in row) for row in codes])
        raise TypeError(f"{obj.name}: {codes.ndim}-d char array")
    if cls == "cell":
        refs = np.asarray(data).T
        out = np.empty(refs.shape, dtype=object)
        for idx in np.ndindex(refs.shape):
            out[idx] = _read(f, f[refs[idx]])
        return out
    if cls == "logical":
        return np.asarray(data).T.astype(bool)
    if cls in _NUMERIC:
        arr = np.asarray(data)
        if arr.dtype.names and {"real", "imag"} <= set(arr.dtype.names):
            arr = arr["real"] + 1j * arr["imag"]
        return np.ascontiguousarray(arr.T).astype(_NUMERIC[cls], copy=False)
    raise TypeError(f"{obj.name}: MATLAB class {cls!r} not supported")


def load_v73(path: str | Path) -> dict[str, object]:
    """Read every top-level variable of a v7.3 .mat file into Python values."""
    with h5py.File(path, "r") as f:
        return {k: _read(f, f[k]) for k in f.keys() if not k.startswith("#")}


def convert(src: str | Path, dst: str | Path) -> None:
    variables = load_v73(src)
    scipy.io.savemat(dst, variables, format="5", long_field_names=True, do_compression=True)


def _compare(a, b, where: str) -> list[str]:  # noqa: ANN001
    """Compare a v7.3-decoded value (a) with a scipy.io.loadmat value (b)."""
    problems: list[str] = []
    if isinstance(a, dict):
        names_b = list(b.dtype.names or ())
        if list(a) != names_b or b.shape != (1, 1):
            return [f"{where}: fields {list(a)} != {names_b} (shape {b.shape})"]
        for k in a:
            problems += _compare(a[k], b[0, 0][k], f"{where}.{k}")
        return problems
    if isinstance(a, str):
        bb = str(b[0]) if b.size else ""
        return [] if a == bb else [f"{where}: {a!r} != {bb!r}"]
    if isinstance(a, np.ndarray) and a.dtype == object:
        if a.shape != b.shape:
            return [f"{where}: cell shape {a.shape} != {b.shape}"]
        for idx in np.ndindex(a.shape):
            problems += _compare(a[idx], b[idx], f"{where}{{{idx}}}")
        return problems
    a = np.asarray(a)
    if a.shape != b.shape:
        return [f"{where}: shape {a.shape} != {b.shape}"]
    if not np.array_equal(a, b, equal_nan=True):
        return [f"{where}: values differ"]
    return problems


def check(converted: str | Path, original: str | Path) -> list[str]:
    a = load_v73(original)
    b = scipy.io.loadmat(converted, squeeze_me=False, struct_as_record=True)
    problems: list[str] = []
    for k, v in a.items():
        if k not in b:
            problems.append(f"missing variable {k}")
            continue
        problems += _compare(v, b[k], k)
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("src", nargs="+", help="v7.3 .mat file(s)")
    ap.add_argument("--out-dir", help="directory for the v7 copies (same file names)")
    ap.add_argument(
        "--check", action="store_true", help="src = CONVERTED ORIGINAL: verify a conversion"
    )
    ap.add_argument("--force", action="store_true", help="reconvert even if the output is newer")
    args = ap.parse_args(argv)

    if args.check:
        if len(args.src) != 2:
            ap.error("--check takes CONVERTED ORIGINAL")
        problems = check(args.src[0], args.src[1])
        for p in problems:
            print(p)
        print("OK" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0

    if not args.out_dir:
        ap.error("--out-dir is required")
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for src in map(Path, args.src):
        dst = out_dir / src.name
        if not args.force and dst.exists() and dst.stat().st_mtime >= src.stat().st_mtime:
            print(f"up to date: {dst}")
            continue
        convert(src, dst)
        problems = check(dst, src)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        print(f"converted {src} -> {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
