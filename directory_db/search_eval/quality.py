"""Search quality: recall@5, MRR and nDCG@10 of each search part, and of PostgreSQL's own full text.

The evaluation directory and queries (``data/``) were written apart from the demo data and from the
synonym table. Queries are split by a hash of their id: about 40 % *validation* (the only half used to
choose the fusion constants in search.py) and 60 % *test* (reported, never tuned on).

Relevance is graded 1–3. A service counts as *relevant* for recall and MRR at grade ≥ 2 (clearly useful);
nDCG@10 uses every grade (gain 2^g − 1). Recall@5 divides by min(5, relevant), so a query with eight good
answers can still reach 1.0 by filling its top five with them.

``python -m directory_db.search_eval.quality [--split test|validation|all] [--tune] [--postgres URL]``
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from ovi_lang.embeddings import SentenceEncoder, default_encoder

from .. import migrate, search
from ..db import make_engine, make_session_factory
from ..importers import import_hsds_json

DATA = Path(__file__).resolve().parent / "data"
DIRECTORY = DATA / "directory.json"
QUERIES = DATA / "queries.yml"
RELEVANT_GRADE = 2
VALIDATION_SHARE = 40  # percent


@dataclass(frozen=True)
class EvalQuery:
    id: str
    query: str
    municipality: str | None
    language: str
    tags: tuple[str, ...]
    relevant: dict[str, int]

    @property
    def split(self) -> str:
        bucket = int(hashlib.sha256(self.id.encode()).hexdigest(), 16) % 100
        return "validation" if bucket < VALIDATION_SHARE else "test"


def load_queries(path: Path = QUERIES, directory: Path = DIRECTORY) -> list[EvalQuery]:
    """The queries, checked against the directory (unknown or inactive ids, missing grade 3 → error)."""
    services = {s["id"]: s for s in json.loads(directory.read_text(encoding="utf-8"))}
    out = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        q = EvalQuery(
            id=str(item["id"]),
            query=str(item["query"]),
            municipality=str(item["municipality"]) if item.get("municipality") else None,
            language=str(item.get("language", "fi")),
            tags=tuple(item.get("tags") or ()),
            relevant={str(k): int(v) for k, v in item["relevant"].items()},
        )
        for sid, grade in q.relevant.items():
            if sid not in services:
                raise ValueError(f"{path.name}: kysely {q.id}: tuntematon palvelu {sid}")
            if services[sid].get("status") != "active" or grade not in (1, 2, 3):
                raise ValueError(f"{path.name}: kysely {q.id}: palvelu {sid} ei voi olla relevantti")
        if 3 not in q.relevant.values():
            raise ValueError(f"{path.name}: kysely {q.id}: ei yhtään arvosanan 3 palvelua")
        out.append(q)
    if len({q.id for q in out}) != len(out):
        raise ValueError(f"{path.name}: kyselyiden tunnisteet eivät ole yksilöllisiä")
    return out


# --- metrics ----------------------------------------------------------------------------------------------


def recall_at(ranked: Sequence[str], relevant: dict[str, int], k: int = 5) -> float:
    good = {sid for sid, g in relevant.items() if g >= RELEVANT_GRADE}
    return len(good.intersection(ranked[:k])) / min(k, len(good)) if good else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: dict[str, int]) -> float:
    for rank, sid in enumerate(ranked, start=1):
        if relevant.get(sid, 0) >= RELEVANT_GRADE:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranked: Sequence[str], relevant: dict[str, int], k: int = 10) -> float:
    def dcg(grades: Sequence[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))

    ideal = dcg(sorted(relevant.values(), reverse=True)[:k])
    return dcg([relevant.get(sid, 0) for sid in ranked[:k]]) / ideal if ideal else 0.0


@dataclass(frozen=True)
class Scores:
    recall5: float
    mrr: float
    ndcg10: float
    n: int

    def as_dict(self) -> dict[str, float]:
        return {
            "recall@5": round(self.recall5, 3),
            "mrr": round(self.mrr, 3),
            "ndcg@10": round(self.ndcg10, 3),
            "n": self.n,
        }


def score(runs: dict[str, list[str]], queries: Sequence[EvalQuery]) -> Scores:
    if not queries:
        return Scores(0.0, 0.0, 0.0, 0)
    return Scores(
        recall5=statistics.fmean(recall_at(runs[q.id], q.relevant) for q in queries),
        mrr=statistics.fmean(reciprocal_rank(runs[q.id], q.relevant) for q in queries),
        ndcg10=statistics.fmean(ndcg_at(runs[q.id], q.relevant) for q in queries),
        n=len(queries),
    )


# --- runners ----------------------------------------------------------------------------------------------

Runner = Callable[[EvalQuery], list[str]]


def ovi_runner(session: Session, options: search.SearchOptions, encoder: SentenceEncoder) -> Runner:
    def run(q: EvalQuery) -> list[str]:
        ranked = search.rank_services(
            session, q.query, municipality=q.municipality, limit=10, options=options, encoder=encoder
        )
        return [r.service_id for r in ranked]

    return run


_PG_DOCUMENT = (
    "setweight(to_tsvector('finnish', coalesce(s.name, '')), 'A') || "
    "setweight(to_tsvector('finnish', coalesce(s.alternate_name, '')), 'B') || "
    "setweight(to_tsvector('finnish', coalesce(o.name, '')), 'C') || "
    "setweight(to_tsvector('finnish', coalesce(s.description, '')), 'D')"
)


def postgres_runner(session: Session) -> Runner:
    """PostgreSQL's own full text (``finnish`` snowball), any query word may match (OR), ranked by
    ts_rank_cd; restricted to the services Ovi's filters allow, so only the text matching differs."""

    def run(q: EvalQuery) -> list[str]:
        allowed = [r.service_id for r in search.rank_services(
            session, None, municipality=q.municipality, limit=None, options=search.SearchOptions()
        )]  # fmt: skip
        rows = session.execute(
            sql_text(
                f"SELECT s.id FROM services s JOIN organizations o ON o.id = s.organization_id, "
                f"to_tsquery('finnish', replace(plainto_tsquery('finnish', :q)::text, '&', '|')) query "
                f"WHERE s.id = ANY(:ids) AND ({_PG_DOCUMENT}) @@ query "
                f"ORDER BY ts_rank_cd({_PG_DOCUMENT}, query) DESC, s.id LIMIT 10"
            ),
            {"q": q.query, "ids": allowed},
        )
        return [row[0] for row in rows]

    return run


def evaluation_database(
    url: str | None = None, encoder: SentenceEncoder | None = None, directory: Path = DIRECTORY
) -> str:
    """A database with the evaluation directory imported (vectors included); returns its URL."""
    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='ovi-search-eval-')}/eval.sqlite3"
    migrate.upgrade(url)
    with make_session_factory(make_engine(url))() as session:
        import_hsds_json(session, directory, encoder=encoder or default_encoder())
    return url


def run_all(runner: Runner, queries: Sequence[EvalQuery]) -> dict[str, list[str]]:
    return {q.id: runner(q) for q in queries}


def by_group(runs: dict[str, list[str]], queries: Sequence[EvalQuery]) -> dict[str, Scores]:
    groups: dict[str, list[EvalQuery]] = defaultdict(list)
    for q in queries:
        groups[f"lang:{q.language}"].append(q)
        groups["with municipality" if q.municipality else "no municipality"].append(q)
        for tag in q.tags:
            groups[f"tag:{tag}"].append(q)
    return {name: score(runs, group) for name, group in sorted(groups.items())}


# --- tuning -----------------------------------------------------------------------------------------------

GRID: dict[str, Sequence[float]] = {
    "W_SEMANTIC": (1.0, 2.0, 3.0, 4.0, 6.0),
    "SEMANTIC_FLOOR": (0.77, 0.80, 0.83),
    "B": (0.3, 0.4, 0.6),
    "SEMANTIC_MARGIN": (-1.0, 0.02, 0.04, 0.06),  # -1: no relative floor
}


def tune(session: Session, queries: Sequence[EvalQuery], encoder: SentenceEncoder) -> dict[str, Any]:
    """The grid point with the best validation nDCG@10 (ties: recall@5); search's constants restored."""
    saved = {name: getattr(search, name) for name in GRID}
    best: tuple[tuple[float, float], dict[str, float]] | None = None
    try:
        for values in itertools.product(*GRID.values()):
            point = dict(zip(GRID, values, strict=True))
            for name, value in point.items():
                setattr(search, name, value)
            s = score(run_all(ovi_runner(session, search.SearchOptions(), encoder), queries), queries)
            key = (s.ndcg10, s.recall5)
            if best is None or key > best[0]:
                best = (key, point)
    finally:
        for name, value in saved.items():
            setattr(search, name, value)
    assert best is not None
    return {"ndcg@10": best[0][0], "recall@5": best[0][1], **best[1]}


def report(
    url: str,
    split: str,
    encoder: SentenceEncoder,
    postgres_url: str | None = None,
    queries_path: Path = QUERIES,
    directory: Path = DIRECTORY,
) -> dict[str, Any]:
    queries = [q for q in load_queries(queries_path, directory) if split == "all" or q.split == split]
    results: dict[str, Any] = {"split": split, "queries": len(queries), "modes": {}, "groups": {}}
    with make_session_factory(make_engine(url))() as session:
        modes = {
            "lexical": search.SearchOptions(semantic=False),
            "semantic": search.SearchOptions(lexical=False),
            "fused": search.SearchOptions(),
        }
        for name, options in modes.items():
            runs = run_all(ovi_runner(session, options, encoder), queries)
            results["modes"][name] = score(runs, queries).as_dict()
            if name == "fused":
                results["groups"] = {g: s.as_dict() for g, s in by_group(runs, queries).items()}
                results["misses"] = [
                    {"id": q.id, "query": q.query, "recall@5": round(recall_at(runs[q.id], q.relevant), 2)}
                    for q in queries
                    if recall_at(runs[q.id], q.relevant) < 1.0
                ]
    if postgres_url:
        with make_session_factory(make_engine(postgres_url))() as session:
            runs = run_all(postgres_runner(session), queries)
            results["modes"]["postgresql_finnish_fts"] = score(runs, queries).as_dict()
    return results


def print_report(results: dict[str, Any]) -> None:
    print(f"Hakulaatu, jako {results['split']} ({results['queries']} kyselyä)")
    print(f"  {'osa':<24} {'recall@5':>9} {'MRR':>7} {'nDCG@10':>8}")
    for name, s in results["modes"].items():
        print(f"  {name:<24} {s['recall@5']:>9.3f} {s['mrr']:>7.3f} {s['ndcg@10']:>8.3f}")
    print("  fused by group:")
    for name, s in results["groups"].items():
        print(f"    {name:<22} {s['recall@5']:>9.3f} {s['mrr']:>7.3f} {s['ndcg@10']:>8.3f}  (n={s['n']})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Hakulaatu arviointihakemistolla")
    parser.add_argument("--split", choices=("test", "validation", "all"), default="test")
    parser.add_argument("--tune", action="store_true", help="valitse fuusion vakiot validointijaolla")
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL-tietokanta vertailuun (tyhjä)")
    parser.add_argument("--with-postgres", action="store_true",
                        help="käynnistä oma tilapäinen PostgreSQL vertailua varten")  # fmt: skip
    parser.add_argument("--show-misses", action="store_true",
                        help="tulosta kyselyt, joiden recall@5 < 1")  # fmt: skip
    parser.add_argument("--queries", type=Path, default=QUERIES,
                        help="toinen kyselyjoukko (kehitysjoukko; jako on silloin aina 'all')")  # fmt: skip
    parser.add_argument("--directory", type=Path, default=DIRECTORY,
                        help="hakemisto, jota --queries arvioi")  # fmt: skip
    args = parser.parse_args(argv)
    # A development set is for development: all of it is read, there is no held-out half to protect.
    split = args.split if args.queries == QUERIES else "all"
    if args.with_postgres:
        from ovi_stack.postgres import TemporaryPostgres

        with TemporaryPostgres() as server:
            rest = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--with-postgres"]
            return main([*rest, "--postgres", server.create_database("quality")])
    encoder = default_encoder()  # remembers each query's vector over the runs and tuning rounds
    url = evaluation_database(encoder=encoder, directory=args.directory)
    if args.postgres:
        evaluation_database(args.postgres, encoder=encoder, directory=args.directory)
    if args.tune:
        validation = [q for q in load_queries() if q.split == "validation"]
        with make_session_factory(make_engine(url))() as session:
            print(json.dumps(tune(session, validation, encoder), indent=2))
        return 0
    results = report(url, split, encoder, args.postgres, args.queries, args.directory)
    print_report(results)
    if args.show_misses:
        for miss in results.get("misses", []):
            print(f"  ohi: {miss['id']} {miss['query']!r} recall@5={miss['recall@5']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
