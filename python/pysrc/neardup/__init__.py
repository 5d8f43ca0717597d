"""neardup: find which documents repeat each other, and show why.

The same Rust code as the ``neardup`` command, with the same answers: exact duplicates,
near-duplicates, passages reused from another document, and rewrites of the same story, each
pair with its figures and evidence.

>>> import neardup
>>> text = "The council met on Tuesday to discuss the budget for next year and agreed to raise spending."
>>> report = neardup.scan([("a", text), ("b", text), ("c", "Something else entirely.")])
>>> [(p["a"], p["b"], p["relation"]) for p in report.pairs]
[('a', 'b', 'duplicate')]

Parameters have the command line's names (``--min-overlap`` is ``min_overlap``) and defaults.
A bad value raises ``ValueError`` naming it; bad input raises ``ValueError`` naming the document
(or the file and line). Every long call releases the GIL.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from . import _neardup

__version__ = _neardup.__version__
__all__ = ["Report", "Index", "scan", "compare", "signatures", "lsh_candidates"]

_FIELDS = ("id", "text", "title", "source", "date", "url")

Documents = Union[str, "os.PathLike[str]", Iterable[Union[Mapping[str, Any], Sequence[Any]]]]


class Report:
    """A report, as ``neardup scan --format json`` prints it.

    ``pairs`` and ``clusters`` are lists of dicts, each exactly the record of the JSON report;
    ``documents``, ``stats``, ``params`` and ``warnings`` likewise. ``failed`` is true when a
    check found a new document repeating an indexed one (the CLI's exit code 1).
    """

    def __init__(self, data: dict, failed: bool = False, added: int = 0):
        self._data = data
        self.failed = failed
        self.added = added

    @property
    def pairs(self) -> list:
        return self._data["pairs"]

    @property
    def clusters(self) -> list:
        return self._data["clusters"]

    @property
    def documents(self) -> list:
        return self._data["documents"]

    @property
    def stats(self) -> dict:
        return self._data["stats"]

    @property
    def params(self) -> dict:
        return self._data["params"]

    @property
    def warnings(self) -> list:
        return self._data.get("warnings", [])

    def to_dict(self) -> dict:
        """The whole report as one dict (the JSON report)."""
        return self._data

    def to_json(self) -> str:
        """The report as JSON."""
        return json.dumps(self._data)

    def _rows(self) -> list:
        return [
            {
                "a": p["a"],
                "b": p["b"],
                "relation": p["relation"],
                "score": p["score"],
                "jaccard": p["jaccard"],
                "containment_a": p["containment"][0],
                "containment_b": p["containment"][1],
                "rewrite": p.get("rewrite"),
                "passages": len(p["passages"]),
            }
            for p in self.pairs
        ]

    def to_pandas(self):
        """The pairs as a pandas DataFrame, one row a pair (the CSV report's main columns)."""
        import pandas as pd

        columns = ["a", "b", "relation", "score", "jaccard", "containment_a", "containment_b", "rewrite", "passages"]
        return pd.DataFrame(self._rows(), columns=columns)

    def to_arrow(self):
        """The pairs as a pyarrow Table (the columns of ``to_pandas``)."""
        import pyarrow as pa

        return pa.Table.from_pylist(self._rows())

    def __repr__(self) -> str:
        return f"<neardup.Report: {len(self.documents)} documents, {len(self.pairs)} pairs, {len(self.clusters)} clusters>"


def _split(documents: Documents):
    """A path, or the documents as tuples of the six fields; errors name the document."""
    if isinstance(documents, (str, os.PathLike)):
        return os.fspath(documents), []
    docs = []
    for n, d in enumerate(documents):
        if isinstance(d, Mapping):
            if "id" not in d or "text" not in d:
                raise ValueError(f"document {n}: a dict needs 'id' and 'text'")
            fields = [d.get(k) for k in _FIELDS]
        elif isinstance(d, Sequence) and not isinstance(d, (str, bytes)) and len(d) >= 2:
            fields = list(d[:6]) + [None] * (6 - min(len(d), 6))
        else:
            raise ValueError(f"document {n}: expected a dict with 'id' and 'text', or an (id, text) tuple")
        doc_id, text = fields[0], fields[1]
        if not isinstance(text, str):
            raise ValueError(f"document {n} ({doc_id!r}): text is {type(text).__name__}, not str")
        if isinstance(doc_id, int) and not isinstance(doc_id, bool):
            doc_id = str(doc_id)
        if not isinstance(doc_id, str):
            raise ValueError(f"document {n}: id is {type(doc_id).__name__}, not str or int")
        meta = []
        for k, v in zip(_FIELDS[2:], fields[2:]):
            if v is not None and not isinstance(v, str):
                raise ValueError(f"document {n} ({doc_id!r}): {k} is {type(v).__name__}, not str")
            meta.append(v)
        docs.append((doc_id, text, *meta))
    return None, docs


def scan(documents: Documents, *, relations: Optional[Sequence[str]] = None, threshold: float = 0.8, **params: Any) -> Report:
    """Finds the pairs of ``documents`` that repeat each other.

    ``documents`` is an iterable of dicts (``id``, ``text``, optional ``title``, ``source``,
    ``date``, ``url``), of ``(id, text)`` tuples, or a path (a file, a folder, JSONL, ``.gz``,
    ``.zst``). Other parameters: ``shingle`` (5), ``perm`` (128), ``seed`` (1), ``min_overlap``
    (30), ``containment`` (0.5), ``rewrite_probability`` (0.4), ``rewrite_min_similarity``
    (0.05), ``max_df`` (500), ``all_pairs`` (False), and for paths ``id_field``,
    ``text_field``, ``skip_invalid``, ``strict``.

    >>> r = scan([{"id": "a", "text": "one two three four five six"}, {"id": "b", "text": "one two three four five six"}])
    >>> r.pairs[0]["relation"], r.pairs[0]["score"]
    ('duplicate', 1.0)
    """
    path, docs = _split(documents)
    data = _neardup.scan(path, docs, relations=relations, threshold=threshold, **params)
    return Report(json.loads(data))


def compare(a: Union[str, Mapping[str, Any], Sequence[Any]], b: Union[str, Mapping[str, Any], Sequence[Any]], **params: Any) -> dict:
    """The pair record of two documents (texts, dicts or ``(id, text)`` tuples), related or not:
    ``relation`` is ``None`` when no relation holds.

    >>> c = compare("Anna Evstigneeva told the council that 23,000 fighters were in Kunduz.",
    ...             "Some 23,000 fighters are in Kunduz, Evstigneeva told the council.")
    >>> c["relation"]
    'rewrite'
    """
    pair = [d if not isinstance(d, str) else (name, d) for name, d in (("a", a), ("b", b))]
    _, docs = _split(pair)
    return json.loads(_neardup.compare(docs[0], docs[1], **params))


class Index:
    """An index file, the same one ``neardup index`` and ``neardup check`` use.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "ingested.db")
    >>> index = Index(path)
    >>> index.add([("a", "the council met on tuesday to discuss the budget for next year")])
    1
    >>> index.check([("b", "the council met on tuesday to discuss the budget for next year")]).failed
    True
    >>> len(index)
    1
    """

    def __init__(self, path: Union[str, "os.PathLike[str]"]):
        self.path = os.fspath(path)
        self._index = _neardup._Index(self.path)

    def add(self, documents: Documents, **params: Any) -> int:
        """Adds documents (created with ``params`` if the file does not exist yet); how many
        were added. Ids already indexed are left as they were."""
        path, docs = _split(documents)
        added, _present = self._index.add(path, docs, int(time.time()), **params)
        return added

    def check(self, documents: Documents, add: bool = False, *, fail_on: Optional[Sequence[str]] = None, **params: Any) -> Report:
        """Compares new documents with the index and with each other. The report's ``failed``
        is true when a new document is a duplicate, near-duplicate or overlap (``fail_on``) of
        another. With ``add``, those that passed are added in the same transaction."""
        path, docs = _split(documents)
        add_at = int(time.time()) if add else None
        data, failed, added = self._index.check(path, docs, add_at, list(fail_on) if fail_on else None, **params)
        return Report(json.loads(data), failed=failed, added=added)

    def remove(self, ids: Iterable[str]) -> int:
        """Removes documents by id; how many were removed."""
        return self._index.remove(list(ids))

    def evict(self, older_than_days: float) -> int:
        """Removes the documents added more than ``older_than_days`` days ago."""
        return self._index.remove_added_until(int(time.time() - older_than_days * 86400))

    def stats(self) -> dict:
        """Counters and settings, as ``neardup index stats --json`` prints them."""
        return json.loads(self._index.stats())

    def __len__(self) -> int:
        return self.stats()["documents"]


def signatures(texts: Iterable[str], *, perm: int = 128, seed: int = 1, shingle: int = 5):
    """MinHash signatures of ``texts``: a NumPy ``uint32`` array of ``len(texts) × perm``, the
    values a scan computes (a text without a 5-word shingle gets ``2**32 - 1`` throughout).

    >>> s = signatures(["one two three four five six", "one two three four five six"])
    >>> s.shape, bool((s[0] == s[1]).all())
    ((2, 128), True)
    """
    import numpy as np

    texts = list(texts)
    raw = _neardup.signatures(texts, perm=perm, seed=seed, shingle=shingle)
    return np.frombuffer(raw, dtype="<u4").reshape(len(texts), perm)


def lsh_candidates(signatures, threshold: float = 0.8) -> list:
    """Pairs ``(i, j)``, ``i < j``, of rows of ``signatures`` (from :func:`signatures`) that
    share an LSH band at the banding a scan uses for ``threshold``.

    >>> lsh_candidates(signatures(["one two three four five six"] * 2 + ["seven eight nine ten eleven twelve"]))
    [(0, 1)]
    """
    import numpy as np

    array = np.ascontiguousarray(signatures, dtype="<u4")
    if array.ndim != 2:
        raise ValueError("signatures: expected a 2-D array, one row a signature")
    return _neardup.lsh_candidates(array.tobytes(), array.shape[1], float(threshold))
