"""An import file uploaded in the admin: kept between its dry run and its commit, then deleted.

The same importers as ``python -m directory_db import`` read it (hsds-json, ptv-json, and hsds-csv as a
zip of the data package), so a file passes or fails in the admin exactly as on the command line. An upload
belongs to the user who sent it: only they can commit it, within ``KEEP_HOURS``.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy.orm import Session

from directory_db.importers import ImportResult, import_hsds_csv, import_hsds_json, import_ptv_json
from ovi_lang.embeddings import default_encoder

FORMATS = {
    "hsds-json": "HSDS 3.0 JSON (palvelut taulukkona tai yksi palvelu)",
    "hsds-csv": "HSDS 3.0 CSV -datapaketti zip-tiedostona (datapackage.json ja CSV-tiedostot)",
    "ptv-json": "PTV:n rajapinnan JSON (v11)",
}
KEEP_HOURS = 24
MAX_ZIP_MEMBERS = 200
MAX_UNZIPPED = 500 * 1024 * 1024
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")

Importer = Callable[..., ImportResult]
_IMPORTERS: dict[str, Importer] = {
    "hsds-json": import_hsds_json, "hsds-csv": import_hsds_csv, "ptv-json": import_ptv_json,
}


class UploadError(ValueError):
    """An upload that cannot be used, said in Finnish."""


@dataclass(frozen=True)
class Upload:
    token: str
    format: str
    filename: str
    user: str
    path: Path
    """What the importer reads: the file, or the folder a zip was unpacked to."""


def _sweep(root: Path) -> None:
    cutoff = time.time() - KEEP_HOURS * 3600
    for folder in root.glob("*"):
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def _unzip(archive: Path, target: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise UploadError("zip-tiedosto on liian suuri purettavaksi")
            for member in members:
                name = PurePosixPath(member.filename)
                # Only plain names inside the package: no absolute paths, no "..", no folders of folders.
                if name.is_absolute() or ".." in name.parts or len(name.parts) > 2:
                    raise UploadError(f"zip-tiedostossa on kelvoton polku {member.filename!r}")
                (target / name.name).write_bytes(zf.read(member))
    except zipfile.BadZipFile:
        raise UploadError("HSDS CSV -paketti pitää lähettää zip-tiedostona") from None


def store(root: Path, fmt: str, filename: str, content: bytes, user: str) -> Upload:
    if fmt not in FORMATS:
        raise UploadError(f"valitse tiedoston muoto ({', '.join(FORMATS)})")
    if not content:
        raise UploadError("valitse tuotava tiedosto")
    root.mkdir(parents=True, exist_ok=True)
    _sweep(root)
    token = secrets.token_urlsafe(24)
    folder = root / token
    folder.mkdir(mode=0o700)
    safe_name = PurePosixPath(filename.replace("\\", "/")).name or "tuonti"
    try:
        if fmt == "hsds-csv":
            archive = folder / "paketti.zip"
            archive.write_bytes(content)
            unpacked = folder / "paketti"
            unpacked.mkdir()
            _unzip(archive, unpacked)
            path = unpacked
        else:
            path = folder / ("tuonti.json" if not safe_name.endswith(".json") else safe_name)
            path.write_bytes(content)
        (folder / "upload.json").write_text(json.dumps({"format": fmt, "filename": safe_name, "user": user}))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Upload(token, fmt, safe_name, user, path)


def find(root: Path, token: str, user: str) -> Upload:
    """The upload of ``token`` if ``user`` sent it and it is still kept."""
    if not token or not set(token) <= _TOKEN_CHARS:
        raise UploadError("tuntematon tuonti")
    folder = root / token
    try:
        meta = json.loads((folder / "upload.json").read_text())
    except (OSError, ValueError):
        raise UploadError("tuontia ei enää ole: lähetä tiedosto uudelleen") from None
    if meta.get("user") != user:
        raise UploadError("tuonti on toisen käyttäjän lähettämä")
    path = folder / "paketti" if meta["format"] == "hsds-csv" else next(
        p for p in folder.iterdir() if p.name not in ("upload.json", "paketti.zip"))
    return Upload(token, meta["format"], meta["filename"], meta["user"], path)


def run(session: Session, upload: Upload, user: str, *, dry_run: bool) -> ImportResult:
    """Import the upload as ``user`` (validation errors raise ImportValidationError, as the CLI's)."""
    importer = _IMPORTERS[upload.format]
    return importer(session, upload.path, dry_run=dry_run, user=user,
                    encoder=None if dry_run else default_encoder())


def discard(root: Path, upload: Upload) -> None:
    shutil.rmtree(root / upload.token, ignore_errors=True)
