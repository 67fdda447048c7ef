"""The Department's certificate settings: heading, signer, place and optional logo."""
from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz import audit
from quiz.errors import NotAllowed, ValidationFailed
from quiz.models import CertificateSettings, Role, Unit, UnitKind, User

MAX_LOGO_BYTES = 1024 * 1024
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
DEFAULT_SIGNER_TITLE = "GIÁM ĐỐC"
DEFAULT_PLACE = "Tây Ninh"


@dataclass
class SettingsInput:
    authority_name: str
    department_name: str
    signer_title: str
    signer_name: str
    place: str


def department_of(session: Session, unit: Unit) -> Unit:
    """The Department at the top of ``unit``'s tree."""
    ids = unit.ancestor_ids()
    root = session.get(Unit, ids[0]) if ids else unit
    if root is None or root.kind is not UnitKind.DEPARTMENT:
        return session.scalar(select(Unit).where(Unit.kind == UnitKind.DEPARTMENT).order_by(Unit.id)) or unit
    return root


def settings_for(session: Session, department: Unit, place: str = DEFAULT_PLACE) -> CertificateSettings:
    """The saved settings, or unsaved defaults made from the Department's name."""
    found = session.scalar(select(CertificateSettings).where(CertificateSettings.unit_id == department.id))
    if found is not None:
        return found
    return CertificateSettings(unit_id=department.id, authority_name="", department_name=department.name.upper(),
                               signer_title=DEFAULT_SIGNER_TITLE, signer_name="", place=place)


def _clean(data: SettingsInput) -> SettingsInput:
    cleaned = SettingsInput(*(" ".join((getattr(data, f) or "").split()) for f in SettingsInput.__dataclass_fields__))
    errors: dict[str, list[str]] = {}
    for name in ("department_name", "signer_title", "signer_name", "place"):
        if not getattr(cleaned, name):
            errors[name] = ["required"]
    if errors:
        raise ValidationFailed("missing fields", errors)
    return cleaned


def check_logo(data: bytes) -> str:
    """The logo's content type; refuses anything that is not a small PNG or JPEG image."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationFailed("logo too large", {"logo": ["too_large"]})
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationFailed("not an image", {"logo": ["not_an_image"]}) from None
    if kind not in LOGO_TYPES:
        raise ValidationFailed("not PNG or JPEG", {"logo": ["not_an_image"]})
    return LOGO_TYPES[kind]


def save_settings(session: Session, actor: User, data: SettingsInput, now, *, logo: bytes | None = None,
                  remove_logo: bool = False, ip: str | None = None) -> CertificateSettings:
    if actor.role is not Role.ADMIN:
        raise NotAllowed("only the Department sets the certificates")
    cleaned = _clean(data)
    logo_type = check_logo(logo) if logo else None
    department = department_of(session, actor.unit)
    row = settings_for(session, department)
    if row.id is None:
        session.add(row)
    for name in SettingsInput.__dataclass_fields__:
        setattr(row, name, getattr(cleaned, name))
    if logo:
        row.logo, row.logo_type = logo, logo_type
    elif remove_logo:
        row.logo, row.logo_type = None, None
    row.updated_at = now
    session.flush()
    audit.record(session, actor, "certificates.settings", f"Certificate settings: {cleaned.signer_title} "
                 f"{cleaned.signer_name}, {cleaned.place}", target=row, ip=ip,
                 details={"logo": "new" if logo else ("removed" if remove_logo else "unchanged")})
    return row
