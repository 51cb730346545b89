"""``python -m directory_db`` / ``ovi-directory``: the directory's command line (SPEC §1).

Exit codes: 0 success, 1 an error in the data, the files or the database (message on stderr, never a
traceback), 2 wrong usage or a format that is not implemented yet.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ovi_lang.embeddings import SentenceEncoder, default_encoder

from . import migrate
from .areas import LEVEL_NAMES_FI, AreaError
from .db import default_database_url, make_engine, make_session_factory
from .export import export_hsds_json
from .export_csv import export_hsds_csv
from .importers import ImportResult, ImportValidationError, import_hsds_csv, import_hsds_json, import_ptv_json
from .importers.progress import Progress
from .models import Service
from .search import SearchHit, SearchOptions, search_services
from .search_index import embed_missing
from .service_facts import HELSINKI

DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"
IMPORT_FORMATS = ("hsds-json", "hsds-csv", "ptv-json")
IMPORTERS = {"hsds-json": import_hsds_json, "hsds-csv": import_hsds_csv, "ptv-json": import_ptv_json}
EXPORTERS = {"hsds-json": export_hsds_json, "hsds-csv": export_hsds_csv}  # (session, path) → services
EXPORT_FORMATS = tuple(EXPORTERS)
MAX_WARNINGS_SHOWN = 20
SEARCH_MODES = {
    "hybrid": SearchOptions(),
    "lexical": SearchOptions(semantic=False),
    "semantic": SearchOptions(lexical=False),
}
PROVIDER_NAMES_FI = {"ngo": "järjestö", "public": "julkinen", "parish": "seurakunta", "private": "yksityinen"}


class CliError(Exception):
    """A user-facing failure: the message goes to stderr, the code is the exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("pitää olla vähintään 1")
    return value


def _engine(args: argparse.Namespace) -> Engine:
    return make_engine(args.database_url or default_database_url())


def _require_schema(engine: Engine) -> None:
    if not migrate.is_current(engine):
        raise CliError(
            "Tietokantaa ei ole alustettu tai se on vanhentunut. Aja ensin: python -m directory_db init"
        )


def _session(args: argparse.Namespace) -> Session:
    engine = _engine(args)
    _require_schema(engine)
    return make_session_factory(engine)()


# --- commands -------------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    url = args.database_url or default_database_url()
    migrate.upgrade(url)
    print(f"Tietokanta on ajan tasalla (versio {migrate.head_revision()}).")
    return 0


def _encoder(args: argparse.Namespace) -> SentenceEncoder | None:
    """The encoder for the search vectors of imported services, unless they are left for ``embed``."""
    return None if getattr(args, "skip_embeddings", False) else default_encoder()


def cmd_embed(args: argparse.Namespace) -> int:
    with _session(args) as session:
        done = embed_missing(session, default_encoder())
    print(f"Laskettiin hakuvektori {done} palvelulle.")
    return 0


def _print_warnings(result: ImportResult) -> None:
    for warning in result.warnings[:MAX_WARNINGS_SHOWN]:
        print(f"varoitus: {warning}", file=sys.stderr)
    if len(result.warnings) > MAX_WARNINGS_SHOWN:
        print(f"varoitus: … ja {len(result.warnings) - MAX_WARNINGS_SHOWN} muuta varoitusta", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    importer = IMPORTERS.get(args.format)
    if importer is None:
        raise CliError(f"Tuontimuotoa {args.format} ei ole vielä toteutettu; käytä muotoa hsds-json.", code=2)
    # The HSDS-JSON import streams large files and can tell how far it is; the others read theirs whole.
    extra: dict[str, Any] = {}
    if args.format == "hsds-json" and (args.progress or sys.stderr.isatty()):
        extra["progress"] = Progress(sys.stderr)
    with _session(args) as session:
        result = importer(
            session, args.paths, dry_run=args.dry_run, encoder=_encoder(args), source=args.source,
            user=args.user, prune=args.prune, **extra,
        )  # fmt: skip
    _print_warnings(result)
    verb = "arkistoitaisiin" if result.dry_run else "arkistoitiin"
    for service_id, name in result.archived:
        print(f"{verb}: {name} ({service_id})")
    print(result.summary_fi())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with _session(args) as session:
        count = EXPORTERS[args.format](session, args.path)
    where = "kansioon" if args.format == "hsds-csv" else "tiedostoon"
    print(f"Vietiin {count} palvelua {where} {args.path}.")
    return 0


def _hit_json(hit: SearchHit) -> dict[str, object]:
    service = hit.service
    return {
        "id": service.id,
        "name": service.name,
        "organization": service.organization.name,
        "provider_type": service.organization.provider_type,
        "score": hit.score,
        "area_level": hit.area_level,
        "matched_classes": list(hit.matched_classes),
        "matched_terms": list(hit.matched_terms),
        "explain": hit.explanation.as_dict(),
    }


def _hit_line(rank: int, hit: SearchHit) -> str:
    org = hit.service.organization
    provider = PROVIDER_NAMES_FI.get(org.provider_type or "", "tuntematon")
    area = LEVEL_NAMES_FI[hit.area_level] if hit.area_level else "alue tuntematon"
    return f"{rank:>3}. {hit.service.name} — {org.name} ({provider}; {area}; pisteet {hit.score:g})"


def _explain_line(hit: SearchHit) -> str:
    e = hit.explanation
    parts = []
    if e.lexical_rank is not None:
        parts.append(f"sanat #{e.lexical_rank} ({e.lexical:.2f}): {', '.join(e.matched)}")
    if e.semantic is not None:
        rank = f"#{e.semantic_rank}" if e.semantic_rank is not None else "ei ehdokas"
        parts.append(f"merkitys {rank} (kosini {e.semantic:.3f})")
    if e.class_boost:
        parts.append(f"palveluluokka +{e.class_boost:.2f} ({', '.join(hit.matched_classes)})")
    if e.locality:
        parts.append(f"läheisyys +{e.locality:.2f}")
    if e.place_from_text:
        parts.append(f"kunta luettu hakusanoista ({e.place_from_text})")
    return "       " + " · ".join(parts or ["(ei tekstiä: suodattimet ja aakkosjärjestys)"])


def cmd_search(args: argparse.Namespace) -> int:
    with _session(args) as session:
        hits = search_services(
            session,
            args.text,
            municipality=args.municipality,
            service_classes=args.service_class or (),
            target_group=args.target_group,
            language=args.language,
            provider_type=args.provider_type,
            free_of_charge=args.free,
            anonymous=args.anonymous,
            open_at=datetime.now(HELSINKI) if args.open_now else None,
            limit=args.limit,
            options=SEARCH_MODES[args.mode],
        )
        if args.json:
            print(json.dumps([_hit_json(h) for h in hits], ensure_ascii=False, indent=2))
        elif not hits:
            print("Ei osumia.")
        else:
            for rank, hit in enumerate(hits, start=1):
                print(_hit_line(rank, hit))
                if args.explain:
                    print(_explain_line(hit))
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    url = args.database_url or default_database_url()
    migrate.upgrade(url)
    with make_session_factory(make_engine(url))() as session:
        count = session.scalar(select(func.count()).select_from(Service)) or 0
        if count:
            print(f"Tietokannassa on jo {count} palvelua; demoaineistoa ei ladattu.")
            return 0
        files = sorted(DEMO_DIR.glob("*.json"))
        if not files:
            raise CliError(f"Demoaineistoa ei löytynyt ({DEMO_DIR}/*.json).")
        result = import_hsds_json(session, files, encoder=default_encoder())
    _print_warnings(result)
    print(f"Ladattiin demoaineisto ({', '.join(f.name for f in files)}): {result.summary_fi()}")
    return 0


# --- parser ---------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m directory_db",
        description="Ovin palveluhakemisto: tietokanta, tuonti, vienti ja haku.",
    )
    parser.add_argument("--database-url", help="SQLAlchemy-URL (oletus: DATABASE_URL tai var/ovi.sqlite3)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMENTO")

    p = sub.add_parser("init", help="luo tai päivitä tietokannan rakenne (turvallinen ajaa uudelleen)")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("import", help="tuo palvelut tiedostosta (kaikki tai ei mitään)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="tuotava tiedosto (tai useita)")
    p.add_argument("--format", choices=IMPORT_FORMATS, default="hsds-json", help="tiedoston muoto")
    p.add_argument("--dry-run", action="store_true", help="tarkista vain, älä tallenna mitään")
    p.add_argument("--skip-embeddings", action="store_true",
                   help="älä laske hakuvektoreita nyt (iso tuonti); laske ne myöhemmin: embed")  # fmt: skip
    p.add_argument("--source", metavar="NIMI",
                   help="tietolähteen nimi (oletus: muodon nimi, esim. ptv-json); --prune koskee vain sitä")
    p.add_argument("--user", metavar="NIMI",
                   help="kuka muutoshistoriaan merkitään muutosten tekijäksi (oletus: import:<muoto>)")
    p.add_argument("--prune", action="store_true",
                   help="tiedosto on koko syöte: arkistoi saman lähteen palvelut, joita siinä ei enää ole")
    p.add_argument("--progress", action="store_true",
                   help="näytä edistymispalkki (hsds-json; oletuksena vain päätteessä)")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("export", help="vie kaikki palvelut tiedostoon")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="hsds-json", help="tiedoston muoto")
    p.add_argument("path", type=Path, metavar="PATH")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("search", help="hae palveluita vapaalla tekstillä")
    p.add_argument("text", nargs="?", default=None, help='hakusanat, esim. "apua päihteisiin"')
    p.add_argument("--municipality", metavar="KOODI", help="kuntakoodi (3 numeroa), esim. 285 = Kotka")
    p.add_argument("--class", dest="service_class", action="append", metavar="KOODI",
                   help="PTV-palveluluokka, esim. P5.7 (voi toistaa)")  # fmt: skip
    p.add_argument("--target-group", metavar="KOODI", help="PTV-kohderyhmä, esim. KR1.3")
    p.add_argument("--limit", type=_positive_int, default=20, help="enintään näin monta osumaa (oletus 20)")
    p.add_argument("--language", metavar="KIELI", help="palvelukieli (ISO 639-1), esim. sv")
    p.add_argument("--provider-type", choices=sorted(PROVIDER_NAMES_FI), help="palveluntuottajan tyyppi")
    p.add_argument("--free", action="store_true", help="vain maksuttomat palvelut")
    p.add_argument("--anonymous", action="store_true", help="vain nimettömänä käytettävät palvelut")
    p.add_argument("--open-now", action="store_true", help="vain nyt auki olevat palvelut (Suomen aikaa)")
    p.add_argument("--mode", choices=sorted(SEARCH_MODES), default="hybrid",
                   help="hybrid = sanat ja merkitys (oletus), lexical, semantic")  # fmt: skip
    p.add_argument("--explain", action="store_true", help="näytä, mikä haun osa löysi kunkin palvelun")
    p.add_argument("--json", action="store_true", help="tulosta JSONina (selitys mukana)")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("embed", help="laske puuttuvat hakuvektorit (kertaluonteinen täyttö)")
    p.set_defaults(handler=cmd_embed)

    p = sub.add_parser("seed-demo", help="lataa demoaineisto, jos tietokannassa ei ole palveluita")
    p.set_defaults(handler=cmd_seed_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except CliError as error:
        print(f"virhe: {error}", file=sys.stderr)
        return error.code
    except ImportValidationError as error:
        print(str(error), file=sys.stderr)
        return 1
    except AreaError as error:
        print(f"virhe: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"virhe: tiedostoa ei voi käsitellä: {error}", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        detail = getattr(error, "orig", None) or error
        print(f"virhe: tietokantavirhe: {detail}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
